using MimeKit;
using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust.Challenges;
using Moat.Trust.Lists;
using Moat.Trust.Tests.Support;

namespace Moat.Trust.Tests.Challenges;

/// <summary>The challenge bookkeeping on a real (in-memory) store; the queue side records what it was asked.</summary>
public sealed class ChallengeServiceTests : IDisposable
{
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();
    private readonly RecordingQueue queue = new();
    private readonly ChallengeService service;

    public ChallengeServiceTests()
    {
        var lists = new TrustListCache(storage.Trust, TimeSpan.FromMinutes(1));
        service = new ChallengeService(new ChallengeOptions { MaxPerSenderPerDay = 1 }, "example.test", new byte[32], storage.Challenges, queue, queue, lists);
    }

    public void Dispose() => storage.Dispose();

    [Fact]
    public async Task ASenderIsChallengedOnceADay()
    {
        Assert.Equal(ChallengeOutcome.Sent, await service.ChallengeAsync(Request(), CancellationToken.None));
        Assert.Equal(ChallengeOutcome.RateLimited, await service.ChallengeAsync(Request(), CancellationToken.None));

        Assert.Single(queue.Sent);
    }

    [Fact]
    public async Task AnsweringReleasesHeldMailAndTrustsTheSenderForEachRecipientOnce()
    {
        await service.ChallengeAsync(Request(), CancellationToken.None);
        var address = queue.Sent.Single().From.Mailboxes.Single().Address;
        queue.HeldRecipients = ["alice@example.test", "bob@example.test"];

        var first = await service.ConfirmAddressAsync(address, CancellationToken.None);
        var second = await service.ConfirmAddressAsync(address, CancellationToken.None);

        Assert.Equal(ConfirmationStatus.Confirmed, first.Status);
        Assert.Equal(2, first.Released);
        Assert.Equal(ConfirmationStatus.AlreadyConfirmed, second.Status);
        Assert.Equal(1, queue.Releases);
        var entries = await storage.Trust.ListAsync(null, CancellationToken.None);
        Assert.Equal(["alice@example.test", "bob@example.test"], entries.Select(e => e.Owner));
        Assert.All(entries, e => Assert.Equal((TrustSource.Challenge, "carol@stranger.test"), (e.Source, e.Pattern)));
    }

    [Fact]
    public async Task AForgedAddressConfirmsNothing()
    {
        var result = await service.ConfirmAddressAsync("confirm+0123456789abcdef.zz.0123456789abcdef@example.test", CancellationToken.None);

        Assert.Equal(ConfirmationStatus.Invalid, result.Status);
        Assert.Equal(0, queue.Releases);
    }

    [Theory]
    [InlineData("confirm@example.test", false)]
    [InlineData("confirm+x@other.test", false)]
    [InlineData("alice@example.test", false)]
    [InlineData("CONFIRM+x@Example.Test.", true)]
    public void ChallengeAddressesAreRecognisedByLocalPartAndDomain(string address, bool expected)
    {
        Assert.Equal(expected, service.IsChallengeAddress(address));
    }

    private static ChallengeRequest Request() => new("carol@stranger.test", "alice@example.test", "Meeting", "<1@stranger.test>");
}
