using Moat.Storage.Trust;
using Moat.Trust.Lists;

namespace Moat.Trust.Tests.Lists;

public sealed class TrustListSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static TrustListSnapshot Lists(params TrustEntry[] entries) => new(entries);

    private static TrustEntry Entry(string owner, string pattern, DateTimeOffset? expires = null) =>
        new(owner, pattern, TrustSource.Manual, Now.AddDays(-1), expires);

    [Fact]
    public void FindsAnAddressOnTheListOfOneOfTheRecipients()
    {
        var lists = Lists(Entry("alice@example.test", "bob@partner.test"));

        var match = lists.Find("Bob@Partner.Test", ["carol@example.test", "alice@example.test"], Now);

        Assert.NotNull(match);
        Assert.Equal("alice@example.test", match.Entry.Owner);
    }

    [Fact]
    public void AnotherUsersListDoesNotCount()
    {
        var lists = Lists(Entry("alice@example.test", "bob@partner.test"));

        Assert.Null(lists.Find("bob@partner.test", ["carol@example.test"], Now));
    }

    [Fact]
    public void TheOrganisationListCountsForEveryone()
    {
        var lists = Lists(Entry(TrustEntry.Organisation, "partner.test"));

        var match = lists.Find("anyone@partner.test", ["carol@example.test"], Now);

        Assert.NotNull(match);
        Assert.True(match.IsOrganisationWide);
    }

    [Fact]
    public void ADomainCoversItsSubdomainsButNotLookAlikes()
    {
        var lists = Lists(Entry("alice@example.test", "partner.test"));

        Assert.NotNull(lists.Find("x@mail.eu.partner.test", ["alice@example.test"], Now));
        Assert.Null(lists.Find("x@evilpartner.test", ["alice@example.test"], Now));
        Assert.Null(lists.Find("x@partner.test.evil.test", ["alice@example.test"], Now));
    }

    [Fact]
    public void ATrailingDotIsTheSameDomain()
    {
        var lists = Lists(Entry("alice@example.test", "bob@partner.test"));

        Assert.NotNull(lists.Find("bob@partner.test.", ["alice@example.test"], Now));
    }

    [Fact]
    public void AnExpiredEntryDoesNotCount()
    {
        var lists = Lists(Entry("alice@example.test", "bob@partner.test", Now.AddSeconds(-1)));

        Assert.Null(lists.Find("bob@partner.test", ["alice@example.test"], Now));
    }

    [Fact]
    public void AUnicodeDomainMatchesItsStoredPunycodeForm()
    {
        var lists = Lists(Entry("alice@example.test", "xn--bcher-kva.test"));

        Assert.NotNull(lists.Find("hans@Bücher.test", ["alice@example.test"], Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bob")]
    [InlineData("@partner.test")]
    [InlineData("bob@")]
    public void AMalformedSenderMatchesNothing(string sender)
    {
        var lists = Lists(Entry(TrustEntry.Organisation, "partner.test"));

        Assert.Null(lists.Find(sender, ["alice@example.test"], Now));
    }
}
