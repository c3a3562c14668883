using Moat.Queue.Admin;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Admin;

public sealed class QueueAdminTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MessageSpool spool;
    private readonly QueueAdmin admin;

    public QueueAdminTests()
    {
        spool = new MessageSpool(TestQueue.Options(folder));
        admin = new QueueAdmin(spool);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task List_shows_every_message_with_its_state_and_details()
    {
        var incoming = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test", "b@dest.test"));
        var deferred = await DeferAsync("failing reply");
        var held = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope(string.Empty, "c@dest.test"), QueueState.Hold);

        var entries = await admin.ListAsync(CancellationToken.None);

        Assert.Equal(3, entries.Count);
        var first = entries.Single(e => e.Id == incoming);
        Assert.Equal(QueueState.Incoming, first.State);
        Assert.Equal("s@origin.test", first.Sender);
        Assert.Equal(2, first.RecipientCount);
        Assert.True(first.Size > 0);
        Assert.True(first.Age >= TimeSpan.Zero);
        var second = entries.Single(e => e.Id == deferred);
        Assert.Equal(QueueState.Deferred, second.State);
        Assert.Equal("failing reply", second.LastError);
        Assert.NotNull(second.NextAttemptAt);
        Assert.Equal(QueueState.Hold, entries.Single(e => e.Id == held).State);
    }

    [Fact]
    public async Task Show_gives_envelope_and_headers_only()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message("shown", "body text\r\n"), TestQueue.Envelope("s@origin.test", "a@dest.test"));

        var details = await admin.ShowAsync(id, CancellationToken.None);

        Assert.NotNull(details);
        Assert.Equal(QueueState.Incoming, details.State);
        Assert.Equal("a@dest.test", Assert.Single(details.Envelope.Recipients).Address);
        Assert.Contains("Subject: shown", details.Headers, StringComparison.Ordinal);
        Assert.DoesNotContain("body text", details.Headers, StringComparison.Ordinal);
        Assert.Null(await admin.ShowAsync(QueueId.New(DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.Null(await admin.ShowAsync("../etc", CancellationToken.None));
    }

    [Fact]
    public async Task Retry_hold_release_and_delete_move_messages_by_rename()
    {
        var id = await DeferAsync("x");

        Assert.True(admin.Retry(id).Success);
        Assert.Equal(QueueState.Incoming, spool.FindState(id));
        Assert.False(admin.Retry(id).Success);

        Assert.True(admin.Hold(id).Success);
        Assert.Equal(QueueState.Hold, spool.FindState(id));
        Assert.False(admin.Hold(id).Success);

        Assert.True(admin.Release(id).Success);
        Assert.Equal(QueueState.Incoming, spool.FindState(id));

        Assert.True(admin.Delete(id).Success);
        Assert.Null(spool.FindState(id));
        Assert.Empty(Directory.GetFiles(spool.Root, "*", SearchOption.AllDirectories));
        Assert.Contains("no such message", admin.Delete(id).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_being_delivered_are_refused_with_a_clear_message()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));

        foreach (var result in new[] { admin.Hold(id), admin.Delete(id), admin.Retry(id), admin.Release(id) })
        {
            Assert.False(result.Success);
            Assert.Contains("being delivered", result.Message, StringComparison.Ordinal);
        }

        Assert.Equal(QueueState.Active, spool.FindState(id));
    }

    [Fact]
    public async Task Corrupt_messages_are_listed_and_can_be_deleted()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        await File.WriteAllTextAsync(spool.MessagePath(QueueState.Incoming, id), "garbage");
        spool.MoveToCorrupt(id, QueueState.Incoming, "test");

        var entry = Assert.Single(await admin.ListAsync(CancellationToken.None));
        Assert.Equal(QueueState.Corrupt, entry.State);
        Assert.StartsWith("corrupt:", entry.LastError, StringComparison.Ordinal);

        Assert.True(admin.Delete(id).Success);
        Assert.Empty(Directory.GetFiles(spool.StateFolder(QueueState.Corrupt)));
    }

    private async Task<string> DeferAsync(string error)
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        envelope.Attempts = 1;
        envelope.LastError = error;
        envelope.NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1);
        await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None);
        Assert.True(spool.TryMove(id, QueueState.Active, QueueState.Deferred));
        return id;
    }
}
