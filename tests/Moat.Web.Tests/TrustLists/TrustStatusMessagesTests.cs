using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustStatusMessagesTests
{
    [Theory]
    [InlineData("added", "example.org", null, null, "Added example.org.")]
    [InlineData("updated", "Bob@Example.org", null, null, "Updated bob@example.org.")]
    [InlineData("removed", "example.org", null, null, "Removed example.org.")]
    [InlineData("imported", null, "1", "0", "Imported 1 entry.")]
    [InlineData("imported", null, "12", "1", "Imported 12 entries; skipped 1 that was not an address.")]
    [InlineData("imported", null, "12", "3", "Imported 12 entries; skipped 3 that were not addresses.")]
    public void AChangeIsConfirmed(string done, string? pattern, string? count, string? skipped, string expected)
    {
        Assert.Equal(expected, TrustStatusMessages.For(done, pattern, count, skipped));
    }

    [Theory]
    [InlineData("added", "Your account was locked, call +1 555 0100", null, null, "Added.")]
    [InlineData("imported", null, "lots", null, null)]
    [InlineData("imported", null, "-5", null, null)]
    [InlineData("hacked", "example.org", null, null, null)]
    [InlineData(null, null, null, null, null)]
    public void ALinkCannotPutWordsOnThePage(string? done, string? pattern, string? count, string? skipped, string? expected)
    {
        Assert.Equal(expected, TrustStatusMessages.For(done, pattern, count, skipped));
    }
}
