using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Trust.Filter;
using Moat.Trust.Quarantine;
using Moat.Trust.Tests.Support;

namespace Moat.Trust.Tests.Quarantine;

public sealed class QuarantineDigestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachRecipientGetsOneDigestListingTheirHeldMailButNoContent()
    {
        var queue = new RecordingQueue();
        queue.Held.Add((TrustFilter.QuarantineReason, new HeldMessage("ID1", "spam@elsewhere.test", ["alice@example.test", "bob@example.test"], "Cheap pills", Now.AddHours(-2))));
        queue.Held.Add((ChallengeService.HoldReason, new HeldMessage("ID2", "carol@stranger.test", ["alice@example.test"], "Meeting", Now.AddHours(-1))));
        queue.Held.Add((ListContentCheck.HoldReason, new HeldMessage("ID3", "dev-bounces@lists.partner.test", ["alice@example.test"], "[dev] Winner", Now)));
        queue.Held.Add(("virus: Eicar-Test-Signature", new HeldMessage("ID4", "x@elsewhere.test", ["alice@example.test"], "Invoice", Now)));
        var digest = new QuarantineDigest(queue, queue, "mx.example.test");

        var sent = await digest.SendAsync(CancellationToken.None);

        Assert.Equal(2, sent);
        var alice = queue.Sent.Single(m => m.To.Mailboxes.Single().Address == "alice@example.test");
        Assert.Contains("ID1", alice.TextBody);
        Assert.Contains("ID2", alice.TextBody);
        Assert.Contains("the sender was asked to confirm", alice.TextBody);
        Assert.Contains("ID3", alice.TextBody);
        Assert.Contains("a list post that looks like spam", alice.TextBody);
        Assert.DoesNotContain("ID4", alice.TextBody);
        Assert.Equal("auto-generated", alice.Headers[MimeKit.HeaderId.AutoSubmitted]);
        var bob = queue.Sent.Single(m => m.To.Mailboxes.Single().Address == "bob@example.test");
        Assert.DoesNotContain("ID2", bob.TextBody);
    }

    [Fact]
    public async Task EachMessageCarriesItsRecipientsOwnReleaseLink()
    {
        var queue = new RecordingQueue();
        queue.Held.Add((TrustFilter.QuarantineReason, new HeldMessage("ID1", "spam@elsewhere.test", ["alice@example.test", "bob@example.test"], "Offer", Now)));
        var digest = new QuarantineDigest(queue, queue, "mx.example.test", releaseLink: (id, recipient) => new Uri($"https://mail.example.test/release/{id}.{recipient}"));

        await digest.SendAsync(CancellationToken.None);

        var alice = queue.Sent.Single(m => m.To.Mailboxes.Single().Address == "alice@example.test");
        Assert.Contains("https://mail.example.test/release/ID1.alice@example.test", alice.TextBody);
        Assert.DoesNotContain("bob@example.test", alice.TextBody);
        Assert.DoesNotContain("moat queue release", alice.TextBody);
    }

    [Fact]
    public async Task NobodyGetsADigestWhenNothingIsHeld()
    {
        var queue = new RecordingQueue();

        Assert.Equal(0, await new QuarantineDigest(queue, queue, "mx.example.test").SendAsync(CancellationToken.None));
        Assert.Empty(queue.Sent);
    }
}
