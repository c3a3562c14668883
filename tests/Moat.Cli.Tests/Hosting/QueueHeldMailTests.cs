using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Cli.Configuration;
using Moat.Cli.Hosting;
using Moat.Pipeline;
using Moat.Queue;
using Moat.Queue.Spool;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

public sealed class QueueHeldMailTests : IDisposable
{
    private const string Reason = "unknown sender";
    private const string Eicar = ClamdServer.EicarText;

    private readonly TempFolder folder = new("moat-held-mail");
    private readonly MessageSpool spool;
    private readonly SqliteStorage storage;
    private int nudges;

    public QueueHeldMailTests()
    {
        spool = new MessageSpool(new QueueOptions { Folder = folder.Combine("queue"), Hostname = "gw.test" });
        storage = SqliteStorage.Open(folder.Combine("moat.db"));
    }

    [Fact]
    public async Task AnsweringTheChallengeReleasesOnlyWhatTheAntivirusStillPasses()
    {
        var file = folder.Combine("moat.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["hostName"] = "mx.example.test" }.ToJsonString());
        using var antivirus = AntivirusComponents.Create(ConfigurationLoader.Load(file, folder.Combine("data")));
        var check = new AntivirusReleaseCheck(spool, antivirus.Filter, new Dictionary<string, ListenerRole>(), NullLogger.Instance);
        var held = new QueueHeldMail(spool, () => nudges++, storage.AccessLog, check);
        var clean = await HoldAsync("alice@example.test", "See you on Tuesday.");
        var infected = await HoldAsync("bob@example.test", Eicar);

        var released = await held.ReleaseFromAsync("carol@stranger.test", Reason, CancellationToken.None);

        Assert.Equal(["alice@example.test"], released);
        Assert.Equal(QueueState.Incoming, spool.FindState(clean));
        Assert.Equal(QueueState.Hold, spool.FindState(infected));
        Assert.StartsWith("held: virus: ", (await spool.ReadEnvelopeAsync(QueueState.Hold, infected, CancellationToken.None)).LastError, StringComparison.Ordinal);
        Assert.Equal(1, nudges);
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }

    private async Task<string> HoldAsync(string recipient, string body)
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(Encoding.ASCII.GetBytes($"From: <carol@stranger.test>\r\nTo: <{recipient}>\r\nSubject: hello\r\n\r\n{body}\r\n"));
        await writer.CommitAsync(
            new Envelope
            {
                Sender = "carol@stranger.test",
                Recipients = [new EnvelopeRecipient { Address = recipient }],
                LastError = "held: " + Reason,
            },
            QueueState.Hold,
            CancellationToken.None);
        return writer.Id;
    }
}
