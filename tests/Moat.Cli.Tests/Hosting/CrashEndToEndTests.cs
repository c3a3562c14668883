using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Moat.Cli.Tests.Support;
using Moat.Testing;
using Xunit.Abstractions;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// "250 means durable": the gateway is killed with SIGKILL while clients are sending, then
/// started again on the same data folder. Every message that got 250 must reach the receiver.
/// </summary>
public sealed partial class CrashEndToEndTests(ITestOutputHelper output)
{
    private const int Senders = 4;
    private const int MessagesPerSender = 400;

    [Fact]
    public async Task EveryAcknowledgedMessageSurvivesAKill9()
    {
        TestPrerequisites.RequireExecutable("/usr/sbin/smtp-source", "postfix");
        using var receiver = await AioSmtpdServer.StartAsync();
        using var work = new TempFolder("moat-crash");
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(receiver.Port));
        await using var moat = await MoatProcess.StartAsync(configuration);
        var port = configuration.SmtpPort();
        var ackLog = work.Combine("acked.txt");

        // Background load from Postfix's smtp-source, plus senders that log each Message-ID that got 250.
        using var load = Process.Start(new ProcessStartInfo("/usr/sbin/smtp-source", ["-m", "5000", "-s", "5", "-l", "10240", "-f", "load@example.org", "-t", "load@example.test", $"127.0.0.1:{port}"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var senders = Process.Start(new ProcessStartInfo(TestPrerequisites.DebianPython, ["-c", SenderScript(port, ackLog)]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var senderOutput = senders.StandardError.ReadToEndAsync();

        await WaitUntilAsync(() => File.Exists(ackLog) && File.ReadAllLines(ackLog).Length >= 150, TimeSpan.FromSeconds(60));
        await moat.KillAsync();
        await senders.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        await load.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        var acknowledged = File.ReadAllLines(ackLog).Where(l => l.Length > 0).ToHashSet();
        output.WriteLine($"{acknowledged.Count} messages acknowledged with 250 before the kill; sender log: {await senderOutput}");

        await moat.StartAgainAsync();
        var arrived = new Dictionary<string, int>();
        try
        {
            await WaitUntilAsync(
                () =>
                {
                    arrived = CountMessageIds(receiver.Messages());
                    return acknowledged.All(arrived.ContainsKey);
                },
                TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            var queue = await moat.RunCommandAsync("queue", "list");
            output.WriteLine($"receiver has {receiver.Messages().Count} messages; queue:\n{string.Join('\n', queue.StandardOutput.Split('\n').TakeLast(20))}\nmoat:\n{string.Join('\n', moat.Output.Split('\n').TakeLast(40))}");
        }

        var missing = acknowledged.Where(id => !arrived.ContainsKey(id)).ToList();
        var duplicates = arrived.Where(a => a.Value > 1).Sum(a => a.Value - 1);
        output.WriteLine($"{arrived.Count} distinct tracked messages arrived; {missing.Count} missing; {duplicates} duplicates.");
        Assert.True(acknowledged.Count >= 150, "too few acknowledged messages to make the test meaningful");
        Assert.Empty(missing);
    }

    private static Dictionary<string, int> CountMessageIds(IEnumerable<ReceivedMessage> messages)
    {
        var counts = new Dictionary<string, int>();
        foreach (var message in messages)
        {
            var match = MessageIdPattern().Match(Encoding.UTF8.GetString(message.Content));
            if (match.Success)
            {
                counts[match.Groups[1].Value] = counts.GetValueOrDefault(match.Groups[1].Value) + 1;
            }
        }

        return counts;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not come true in time.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Threads that send until the server dies; each 250 is written to the log before the next message.</summary>
    private static string SenderScript(int port, string ackLog) => $$"""
        import smtplib, threading, time
        lock = threading.Lock()
        log = open({{Quote(ackLog)}}, "a", buffering=1)
        def run(n):
            deadline = time.time() + 90
            try:
                s = smtplib.SMTP("127.0.0.1", {{port}}, timeout=20)
                s.ehlo("crash.example.org")
                for i in range({{MessagesPerSender}}):
                    if time.time() > deadline:
                        break
                    mid = "crash-%d-%d@example.org" % (n, i)
                    body = "From: c@example.org\r\nTo: crash@example.test\r\nMessage-ID: <%s>\r\nSubject: crash\r\n\r\n%s" % (mid, ("x" * 70 + "\r\n") * 30)
                    s.sendmail("c@example.org", ["crash@example.test"], body)
                    with lock:
                        log.write(mid + "\n")
            except Exception as e:
                import sys
                print("sender %d stopped: %r" % (n, e), file=sys.stderr)
        threads = [threading.Thread(target=run, args=(n,)) for n in range({{Senders}})]
        for t in threads: t.start()
        for t in threads: t.join()
        """;

    private static string Quote(string path) => "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    [GeneratedRegex(@"(?im)^Message-ID:\s*<([^>]+)>")]
    private static partial Regex MessageIdPattern();
}
