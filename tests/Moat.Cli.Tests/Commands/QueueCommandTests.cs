using System.Text;
using Moat.Cli.Tests.Support;
using Moat.Queue;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary><c>moat queue</c> run as the real executable against a queue folder written here.</summary>
public sealed class QueueCommandTests : IDisposable
{
    private readonly TempFolder folder = new("moat-queue-command");

    private string DataDirectory => folder.Combine("data");

    [Fact]
    public async Task ADamagedHeldMessageIsExplainedDeletedAndTheDeletionLogged()
    {
        var spool = new MessageSpool(new QueueOptions { Folder = Path.Combine(DataDirectory, "queue"), Hostname = "gw.test" });
        await using (var writer = await spool.CreateAsync(CancellationToken.None))
        {
            await writer.Content.WriteAsync(Encoding.ASCII.GetBytes("Subject: hello\r\n\r\nHello.\r\n"));
            await writer.CommitAsync(
                new Envelope { Sender = "carol@stranger.test", Recipients = [new EnvelopeRecipient { Address = "alice@example.test" }] },
                QueueState.Hold,
                CancellationToken.None);
        }

        var id = Assert.Single(spool.ListIds(QueueState.Hold));
        var path = spool.MessagePath(QueueState.Hold, id);
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(path))[..30]);

        var show = await Queue("show", id);
        var delete = await Queue("delete", id);
        var log = await MoatProcess.RunAsync("audit-log", "list", "--data", DataDirectory);

        Assert.Equal(1, show.ExitCode);
        Assert.Contains("damaged", show.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", show.StandardError, StringComparison.Ordinal);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Empty(spool.ListIds(QueueState.Hold));
        Assert.Contains(log.StandardOutput.Split('\n'), line => line.Contains(id, StringComparison.Ordinal) && line.Contains(" delete ", StringComparison.Ordinal));
    }

    public void Dispose() => folder.Dispose();

    private Task<CommandResult> Queue(params string[] arguments) =>
        MoatProcess.RunAsync(["queue", .. arguments, "--data", DataDirectory]);
}
