using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust.Learning;
using Moat.Trust.Lists;
using Moat.Trust.Messages;

namespace Moat.Trust.Tests.Learning;

public sealed class OutboundLearnerTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();
    private readonly TrustListCache lists;
    private readonly OutboundLearner learner;

    public OutboundLearnerTests()
    {
        lists = new TrustListCache(storage.Trust, TimeSpan.FromMinutes(1));
        learner = new OutboundLearner(lists, new TrustOptions());
    }

    public void Dispose() => storage.Dispose();

    [Fact]
    public async Task EveryRecipientBecomesTrustedForTheSender()
    {
        var result = await learner.LearnAsync("Alice@Example.test", ["bob@partner.test", "carol@other.test"], new MessageTraits(), CancellationToken.None);

        Assert.Equal(2, result.Added);
        var entries = await storage.Trust.ListAsync("alice@example.test", CancellationToken.None);
        Assert.Equal(["bob@partner.test", "carol@other.test"], entries.Select(e => e.Pattern));
        Assert.All(entries, e => Assert.Equal(TrustSource.Learned, e.Source));
    }

    [Fact]
    public async Task TheNextLookupSeesWhatWasLearnedAtOnce()
    {
        await lists.GetAsync(CancellationToken.None);

        await learner.LearnAsync("alice@example.test", ["bob@partner.test"], new MessageTraits(), CancellationToken.None);

        var snapshot = await lists.GetAsync(CancellationToken.None);
        Assert.NotNull(snapshot.Find("bob@partner.test", ["alice@example.test"], Now));
    }

    [Theory]
    [InlineData("", false, false)]
    [InlineData("alice@example.test", true, false)]
    [InlineData("alice@example.test", false, true)]
    public async Task BouncesAutomaticMailAndListTrafficTeachNothing(string sender, bool automatic, bool list)
    {
        var result = await learner.LearnAsync(sender, ["bob@partner.test"], new MessageTraits { IsAutomatic = automatic, IsListTraffic = list }, CancellationToken.None);

        Assert.Equal(0, result.Added);
        Assert.NotNull(result.SkippedBecause);
        Assert.Empty(await storage.Trust.ListAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task AnEntryAddedByHandKeepsItsSource()
    {
        await storage.Trust.AddAsync(new TrustEntry("alice@example.test", "bob@partner.test", TrustSource.Manual, Now), CancellationToken.None);

        await learner.LearnAsync("alice@example.test", ["bob@partner.test"], new MessageTraits(), CancellationToken.None);

        Assert.Equal(TrustSource.Manual, Assert.Single(await storage.Trust.ListAsync("alice@example.test", CancellationToken.None)).Source);
    }

    [Fact]
    public async Task TheSenderIsNotLearnedAsTheirOwnCorrespondent()
    {
        var result = await learner.LearnAsync("alice@example.test", ["alice@example.test"], new MessageTraits(), CancellationToken.None);

        Assert.Equal(0, result.Added);
    }
}
