using System.Security.Claims;
using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustOwnerAccessTests
{
    private static readonly ClaimsPrincipal Admin = User("root@example.test", "Administrator");
    private static readonly ClaimsPrincipal Alice = User("Alice@Example.test", "User");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice@example.test")]
    [InlineData(" ALICE@example.test ")]
    public void AUserWorksOnTheirOwnList(string? requested)
    {
        Assert.Equal(TrustOwnerChoice.Allowed("alice@example.test"), TrustOwnerAccess.Resolve(Alice, requested));
    }

    [Theory]
    [InlineData("bob@example.test")]
    [InlineData("*")]
    [InlineData("not an address")]
    public void AUserAskingForAnyOtherListIsRefusedWithoutBeingToldWhy(string requested)
    {
        var choice = TrustOwnerAccess.Resolve(Alice, requested);

        Assert.True(choice.Forbidden);
        Assert.Null(choice.Owner);
        Assert.Null(choice.Problem);
    }

    [Theory]
    [InlineData(null, "root@example.test")]
    [InlineData("*", "*")]
    [InlineData("Bob@Example.test", "bob@example.test")]
    public void AnAdministratorWorksOnAnyList(string? requested, string owner)
    {
        Assert.Equal(TrustOwnerChoice.Allowed(owner), TrustOwnerAccess.Resolve(Admin, requested));
    }

    [Fact]
    public void AnAdministratorsTypoIsExplained()
    {
        var choice = TrustOwnerAccess.Resolve(Admin, "bob at example.test");

        Assert.False(choice.Forbidden);
        Assert.Null(choice.Owner);
        Assert.Contains("not an e-mail address", choice.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ListsAreDescribedFromTheViewersSide()
    {
        Assert.Equal("your list", TrustOwnerAccess.Describe("alice@example.test", Alice));
        Assert.Equal("the organisation's list", TrustOwnerAccess.Describe("*", Admin));
        Assert.Equal("alice@example.test's list", TrustOwnerAccess.Describe("alice@example.test", Admin));
        Assert.Equal("alice@example.test's list", TrustOwnerAccess.DescribeForLog("alice@example.test"));
    }

    internal static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
