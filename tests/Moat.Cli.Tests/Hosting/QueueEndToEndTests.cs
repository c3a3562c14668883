using System.Text;
using System.Text.Json.Nodes;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>Retries, DSNs, MX delivery and the queue commands, against the running gateway.</summary>
public sealed class QueueEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnUnreachableServerDefersAndTheQueueCommandsManageTheMessage()
    {
        var deadPort = FreePort.Get();
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(deadPort));
        configuration["delivery"]!["firstRetryDelay"] = "01:00:00";
        configuration["delivery"]!["maxRetryDelay"] = "01:00:00";
        await using var moat = await MoatProcess.StartAsync(configuration);
        var sent = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "q@example.org", "--to", "erin@example.test");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        var id = await WaitForStateAsync(moat, "deferred");
        var show = await moat.RunCommandAsync("queue", "show", id);
        Assert.Contains("recipient:   <erin@example.test> pending", show.StandardOutput);
        Assert.Contains("Subject: ", show.StandardOutput);

        Assert.Equal(0, (await moat.RunCommandAsync("queue", "hold", id)).ExitCode);
        Assert.Equal(id, await WaitForStateAsync(moat, "hold"));
        var retryHeld = await moat.RunCommandAsync("queue", "retry", id);
        Assert.Equal(1, retryHeld.ExitCode);

        Assert.Equal(0, (await moat.RunCommandAsync("queue", "release", id)).ExitCode);
        Assert.Equal(id, await WaitForStateAsync(moat, "deferred"));

        var delete = await moat.RunCommandAsync("queue", "delete", id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("The queue is empty.", (await moat.RunCommandAsync("queue", "list")).StandardOutput);

        var unknown = await moat.RunCommandAsync("queue", "show", "NOSUCHID");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("moat queue list", unknown.StandardError);

        // What touched erin's mail is in the access log she can read: the show, the release and the delete.
        var log = await moat.RunCommandAsync("audit-log", "list", "--subject", "erin@example.test");
        Assert.True(log.ExitCode == 0, log.ToString());
        var lines = log.StandardOutput.Split('\n').Where(line => line.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, line => line.Contains(" view ", StringComparison.Ordinal) && line.Contains("moat queue show", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(" release ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(" delete ", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Contains("cli:", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryDeliversOnceTheServerIsBack()
    {
        var port = FreePort.Get();
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(port));
        configuration["delivery"]!["firstRetryDelay"] = "01:00:00";
        configuration["delivery"]!["maxRetryDelay"] = "01:00:00";
        await using var moat = await MoatProcess.StartAsync(configuration);
        await Swaks.RunAsync(configuration.SmtpPort(), "--from", "q@example.org", "--to", "frank@example.test");
        await WaitForStateAsync(moat, "deferred");

        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions { Port = port });
        var retry = await moat.RunCommandAsync("queue", "retry");
        Assert.True(retry.ExitCode == 0, retry.ToString());

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["frank@example.test"], message.Recipients);
    }

    [Fact]
    public async Task ARejectedRecipientIsReturnedToTheSenderWithADsn()
    {
        using var internalServer = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().RejectRecipient("gone@example.test"));
        using var senderServer = await AioSmtpdServer.StartAsync();
        var configuration = GatewayConfiguration.Create()
            .Route("example.test", GatewayConfiguration.SmtpRoute(internalServer.Port))
            .Route("example.org", GatewayConfiguration.SmtpRoute(senderServer.Port));
        await using var moat = await MoatProcess.StartAsync(configuration);

        var sent = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "writer@example.org", "--to", "gone@example.test,here@example.test");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        var delivered = Assert.Single(await internalServer.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["here@example.test"], delivered.Recipients);
        var dsn = Assert.Single(await senderServer.WaitForMessagesAsync(1, Wait));
        Assert.Equal(string.Empty, dsn.MailFrom);
        Assert.Equal(["writer@example.org"], dsn.Recipients);
        var text = Encoding.UTF8.GetString(dsn.Content);
        Assert.Contains("multipart/report", text);
        Assert.Contains("Final-Recipient: rfc822; gone@example.test", text);
        Assert.Contains("550 5.1.1", text);
        Assert.DoesNotContain("moat", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AMessageThatOutlivesItsLifetimeIsReturnedButABounceIsNeverBounced()
    {
        using var senderServer = await AioSmtpdServer.StartAsync();
        var configuration = GatewayConfiguration.Create()
            .Route("example.test", GatewayConfiguration.SmtpRoute(FreePort.Get()))
            .Route("example.org", GatewayConfiguration.SmtpRoute(senderServer.Port));
        configuration["delivery"]!["maxLifetime"] = "00:00:03";
        await using var moat = await MoatProcess.StartAsync(configuration);

        await Swaks.RunAsync(configuration.SmtpPort(), "--from", "late@example.org", "--to", "nobody@example.test");
        await Swaks.RunAsync(configuration.SmtpPort(), "--from", "", "--to", "nobody@example.test");

        var dsn = Assert.Single(await senderServer.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["late@example.org"], dsn.Recipients);
        Assert.Contains("4.4.7", Encoding.UTF8.GetString(dsn.Content));
        await WaitForEmptyQueueAsync(moat);
        Assert.Single(senderServer.Messages());
    }

    [Fact]
    public async Task OutboundMailFollowsTheMxRecordsOfALoopbackDnsServer()
    {
        using var remote = await AioSmtpdServer.StartAsync();
        using var dns = await NsdServer.StartAsync(
            new DnsZone("remote.test").Mx("@", 10, "mx1.remote.test.").Mx("@", 20, "mx2.remote.test.").A("mx1", "127.0.0.1").A("mx2", "127.0.0.1"));
        var configuration = GatewayConfiguration.Create();
        configuration["delivery"]!["defaultRoute"] = new JsonObject { ["transport"] = "mx", ["port"] = remote.Port, ["tls"] = "none" };
        configuration["delivery"]!["dnsServers"] = new JsonArray(dns.NameServer);
        await using var moat = await MoatProcess.StartAsync(configuration);

        var sent = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "out@example.test", "--to", "partner@remote.test");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        var message = Assert.Single(await remote.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["partner@remote.test"], message.Recipients);
        Assert.Equal(GatewayConfiguration.HostName, message.Helo);
    }

    private static async Task<string> WaitForStateAsync(MoatProcess moat, string state)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var list = await moat.RunCommandAsync("queue", "list");
            var line = list.StandardOutput.Split('\n').FirstOrDefault(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var s, ..] && s == state);
            if (line is not null)
            {
                return line.Split(' ')[0];
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No message reached state {state}:\n{moat.Output}");
    }

    private static async Task WaitForEmptyQueueAsync(MoatProcess moat)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!(await moat.RunCommandAsync("queue", "list")).StandardOutput.Contains("The queue is empty."))
        {
            Assert.True(DateTime.UtcNow < deadline, "the queue did not empty:\n" + moat.Output);
            await Task.Delay(250);
        }
    }
}
