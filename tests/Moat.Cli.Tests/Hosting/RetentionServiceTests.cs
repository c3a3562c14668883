using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Cli.Configuration;
using Moat.Cli.Hosting;
using Moat.Queue;
using Moat.Queue.Spool;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;
using Moat.Testing;
using Moat.Web.Quarantine;

namespace Moat.Cli.Tests.Hosting;

public sealed class RetentionServiceTests : IDisposable
{
    private readonly TempFolder folder = new("moat-retention");
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MessageSpool spool;
    private readonly SqliteStorage storage;
    private readonly RetentionService retention;

    public RetentionServiceTests()
    {
        spool = new MessageSpool(new QueueOptions { Folder = folder.Combine("queue"), Hostname = "gw.test" }, timeProvider: clock);
        storage = SqliteStorage.Open(folder.Combine("moat.db"), clock);
        var privacy = new PrivacyOptions { HeldMailRetention = TimeSpan.FromDays(30), AccessLogRetention = TimeSpan.FromDays(60) };
        retention = new RetentionService(new SpoolQuarantine(spool, () => { }), storage.AccessLog, privacy, clock, NullLogger.Instance);
    }

    [Fact]
    public async Task HeldMailPastItsRetentionIsDeletedAndTheDeletionLogged()
    {
        var old = await HoldAsync();
        clock.Advance(TimeSpan.FromDays(20));
        var recent = await HoldAsync();
        clock.Advance(TimeSpan.FromDays(11));

        var (held, _) = await retention.PurgeAsync(CancellationToken.None);

        Assert.Equal(1, held);
        Assert.Null(spool.FindState(old));
        Assert.Equal(QueueState.Hold, spool.FindState(recent));
        var entry = Assert.Single(await storage.AccessLog.ListAsync(new AccessLogQuery(DataSubject: "alice@example.test"), CancellationToken.None));
        Assert.Equal((RetentionService.Actor, AccessActions.Delete, old), (entry.Actor, entry.Action, entry.MessageId));
        Assert.StartsWith("retention:", entry.Reason);
    }

    [Fact]
    public async Task OldAccessLogEntriesArePurgedAndTheChainStillVerifies()
    {
        await storage.AccessLog.AppendAsync(new AccessLogRecord("root@example.test", AccessActions.View, "id1", ["alice@example.test"], "support ticket 42"), CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(61));
        await storage.AccessLog.AppendAsync(new AccessLogRecord("root@example.test", AccessActions.View, "id2", ["alice@example.test"], "support ticket 43"), CancellationToken.None);

        var (_, entries) = await retention.PurgeAsync(CancellationToken.None);

        Assert.Equal(1, entries);
        var left = await storage.AccessLog.ListAsync(new AccessLogQuery(), CancellationToken.None);
        Assert.DoesNotContain(left, e => e.MessageId == "id1");
        Assert.Contains(left, e => e.Action == AccessActions.Purge && e.Actor == RetentionService.Actor);
        Assert.True((await storage.AccessLog.VerifyAsync(CancellationToken.None)).Intact);
    }

    public void Dispose()
    {
        storage.Dispose();
        folder.Dispose();
    }

    private async Task<string> HoldAsync()
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(Encoding.UTF8.GetBytes("Subject: offer\r\n\r\nHello.\r\n"));
        await writer.CommitAsync(
            new Envelope { Sender = "carol@stranger.test", Recipients = [new EnvelopeRecipient { Address = "alice@example.test" }], LastError = "held: unknown sender" },
            QueueState.Hold,
            CancellationToken.None);
        return writer.Id;
    }
}
