using System.Text;
using Moat.Queue;
using Moat.Queue.Spool;
using Moat.Testing;
using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

public sealed class SpoolQuarantineTests : IDisposable
{
    private readonly TempFolder folder = new("moat-quarantine");
    private readonly MessageSpool spool;
    private readonly SpoolQuarantine quarantine;
    private int nudges;

    public SpoolQuarantineTests()
    {
        spool = new MessageSpool(new QueueOptions { Folder = folder.Combine("queue"), Hostname = "gw.test" });
        quarantine = new SpoolQuarantine(spool, () => nudges++);
    }

    [Fact]
    public async Task HeldMailIsListedWithItsSubjectAndTheVerdictsReason()
    {
        var id = await CommitAsync("held: virus: Eicar-Test-Signature", QueueState.Hold, "=?utf-8?q?Gr=C3=BC=C3=9Fe?=");
        await CommitAsync(null, QueueState.Incoming, "not held");

        var message = Assert.Single(await quarantine.ListAsync(CancellationToken.None));

        Assert.Equal(id, message.Id);
        Assert.Equal("Grüße", message.Subject);
        Assert.Equal("virus: Eicar-Test-Signature", message.Reason);
        Assert.Equal(["alice@example.test"], message.Recipients);
    }

    [Fact]
    public async Task AMessageHeldByHandHasAReasonToo()
    {
        var id = await CommitAsync(null, QueueState.Hold, "manual");

        Assert.Equal("held by an administrator", (await quarantine.FindAsync(id, CancellationToken.None))!.Reason);
    }

    [Fact]
    public async Task ReleaseReturnsTheMessageToDeliveryOnce()
    {
        var id = await CommitAsync("held: unknown sender", QueueState.Hold, "hello");

        Assert.Equal(ReleaseResult.Released, await quarantine.ReleaseAsync(id, check: true, forRecipient: null, CancellationToken.None));
        Assert.Equal(ReleaseResult.NotHeld, await quarantine.ReleaseAsync(id, check: true, forRecipient: null, CancellationToken.None));

        Assert.Equal(QueueState.Incoming, spool.FindState(id));
        Assert.Equal(1, nudges);
        Assert.Null(await quarantine.FindAsync(id, CancellationToken.None));
        Assert.Null(quarantine.OpenContent(id));
    }

    [Fact]
    public async Task DeleteRemovesOnlyHeldMail()
    {
        var held = await CommitAsync("held: unknown sender", QueueState.Hold, "hello");
        var queued = await CommitAsync(null, QueueState.Incoming, "queued");

        Assert.True(quarantine.Delete(held));
        Assert.False(quarantine.Delete(queued));

        Assert.Null(spool.FindState(held));
        Assert.Equal(QueueState.Incoming, spool.FindState(queued));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("not-an-id")]
    public async Task ANameThatIsNoQueueIdFindsNothing(string id)
    {
        Assert.Null(await quarantine.FindAsync(id, CancellationToken.None));
        Assert.Null(quarantine.OpenContent(id));
        Assert.Equal(ReleaseResult.NotHeld, await quarantine.ReleaseAsync(id, check: true, forRecipient: null, CancellationToken.None));
        Assert.False(quarantine.Delete(id));
    }

    [Theory]
    [InlineData(ReleaseResult.ThreatFound)]
    [InlineData(ReleaseResult.NotChecked)]
    public async Task AMessageTheReleaseCheckStopsStaysHeld(ReleaseResult verdict)
    {
        var check = new FixedReleaseCheck(verdict);
        var checkedQuarantine = new SpoolQuarantine(spool, () => nudges++, check);
        var id = await CommitAsync("held: unknown sender", QueueState.Hold, "hello");

        Assert.Equal(verdict, await checkedQuarantine.ReleaseAsync(id, check: true, forRecipient: null, CancellationToken.None));

        Assert.Equal([id], check.Checked);
        Assert.Equal(QueueState.Hold, spool.FindState(id));
        Assert.Equal(0, nudges);
    }

    [Fact]
    public async Task AReleaseWithoutTheCheckIsNotScanned()
    {
        var check = new FixedReleaseCheck(ReleaseResult.ThreatFound);
        var checkedQuarantine = new SpoolQuarantine(spool, () => nudges++, check);
        var id = await CommitAsync("held: virus: Eicar-Test-Signature", QueueState.Hold, "hello");

        Assert.Equal(ReleaseResult.Released, await checkedQuarantine.ReleaseAsync(id, check: false, forRecipient: null, CancellationToken.None));

        Assert.Empty(check.Checked);
        Assert.Equal(QueueState.Incoming, spool.FindState(id));
    }

    [Fact]
    public async Task AMessageTheCheckPassesIsReleased()
    {
        var check = new FixedReleaseCheck(null);
        var checkedQuarantine = new SpoolQuarantine(spool, () => nudges++, check);
        var id = await CommitAsync("held: unknown sender", QueueState.Hold, "hello");

        Assert.Equal(ReleaseResult.Released, await checkedQuarantine.ReleaseAsync(id, check: true, forRecipient: null, CancellationToken.None));

        Assert.Equal([id], check.Checked);
        Assert.Equal(QueueState.Incoming, spool.FindState(id));
    }

    [Fact]
    public async Task ARecipientReleasesTheirOwnCopyAndTheOthersStaysHeld()
    {
        var id = await CommitAsync("held: unknown sender", QueueState.Hold, "hello", "alice@example.test", "bob@example.test");

        Assert.Equal(ReleaseResult.Released, await quarantine.ReleaseAsync(id, check: false, forRecipient: "Alice@example.test", CancellationToken.None));

        var copy = Assert.Single(spool.ListIds(QueueState.Incoming));
        Assert.Equal(["alice@example.test"], (await spool.ReadEnvelopeAsync(QueueState.Incoming, copy, CancellationToken.None)).Recipients.Select(r => r.Address));
        var held = await quarantine.FindAsync(id, CancellationToken.None);
        Assert.Equal(["bob@example.test"], held!.Recipients);
        Assert.Equal("unknown sender", held.Reason);
        Assert.Equal(1, nudges);

        // Bob, the last recipient, releases the message itself.
        Assert.Equal(ReleaseResult.Released, await quarantine.ReleaseAsync(id, check: false, forRecipient: "bob@example.test", CancellationToken.None));
        Assert.Equal(QueueState.Incoming, spool.FindState(id));
    }

    [Fact]
    public async Task ARecipientCannotReleaseWhatWasNotSentToThem()
    {
        var id = await CommitAsync("held: unknown sender", QueueState.Hold, "hello", "alice@example.test", "bob@example.test");

        Assert.Equal(ReleaseResult.NotHeld, await quarantine.ReleaseAsync(id, check: false, forRecipient: "mallory@example.test", CancellationToken.None));

        Assert.Empty(spool.ListIds(QueueState.Incoming));
        Assert.Equal(2, (await quarantine.FindAsync(id, CancellationToken.None))!.Recipients.Count);
    }

    public void Dispose() => folder.Dispose();

    private async Task<string> CommitAsync(string? lastError, QueueState state, string subject, params string[] recipients)
    {
        recipients = recipients.Length == 0 ? ["alice@example.test"] : recipients;
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(Encoding.UTF8.GetBytes($"From: <carol@stranger.test>\r\nTo: <alice@example.test>\r\nSubject: {subject}\r\n\r\nHello.\r\n"));
        await writer.CommitAsync(
            new Envelope
            {
                Sender = "carol@stranger.test",
                Recipients = [.. recipients.Select(r => new EnvelopeRecipient { Address = r })],
                LastError = lastError,
            },
            state,
            CancellationToken.None);
        return writer.Id;
    }
}
