using System.Diagnostics;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Spool;

/// <summary>A real kill -9 of a process that is committing messages: nothing acknowledged is lost.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Kill_minus_9_during_commits_loses_no_acknowledged_message()
    {
        using var folder = new TempFolder();
        var queueFolder = folder.Combine("queue");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("crash-writer");
        start.ArgumentList.Add(queueFolder);

        var acknowledged = new List<string>();
        using (var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start the writer"))
        {
            try
            {
                var killAfter = 10 + Random.Shared.Next(20);
                while (acknowledged.Count < killAfter)
                {
                    var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                        ?? throw new InvalidOperationException("writer ended: " + await child.StandardError.ReadToEndAsync());
                    if (line.StartsWith("ACK ", StringComparison.Ordinal))
                    {
                        acknowledged.Add(line[4..]);
                    }
                }
            }
            finally
            {
                // Process.Kill is SIGKILL on Unix: no finally blocks, no flushing, no disposal.
                child.Kill();
                await child.WaitForExitAsync();
            }
        }

        var options = new QueueOptions { Folder = queueFolder, Hostname = "gw.test", TempFileGrace = TimeSpan.Zero };
        var spool = new MessageSpool(options);
        var recovery = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(0, recovery.MovedToCorrupt);
        var published = spool.ListIds(QueueState.Incoming);
        Assert.Empty(acknowledged.Except(published));
        foreach (var id in published)
        {
            var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
            Assert.True(await spool.VerifyContentAsync(QueueState.Incoming, envelope, CancellationToken.None), id + " is damaged");
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "tmp")));
        Assert.Equal(published.Count, Directory.GetFiles(spool.Root, "*", SearchOption.AllDirectories).Length);
    }
}
