using System.Security.Claims;
using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

public sealed class QuarantinePolicyTests
{
    private static readonly ClaimsPrincipal Admin = User("root@example.test", "Administrator");
    private static readonly ClaimsPrincipal Alice = User("alice@example.test", "User");
    private static readonly ClaimsPrincipal Bob = User("bob@example.test", "User");

    [Fact]
    public void AUserSeesAndReleasesTheirOwnHeldMail()
    {
        var message = Held("unknown sender", "Alice@Example.test");

        Assert.True(QuarantinePolicy.CanSee(Alice, message));
        Assert.False(QuarantinePolicy.NeedsReason(Alice, message));
        Assert.True(QuarantinePolicy.CanRelease(Alice, message));
        Assert.True(QuarantinePolicy.CanDelete(Alice, message));
    }

    [Fact]
    public void AUserCannotSeeSomeoneElsesMail()
    {
        var message = Held("unknown sender", "alice@example.test");

        Assert.False(QuarantinePolicy.CanSee(Bob, message));
        Assert.False(QuarantinePolicy.CanRelease(Bob, message));
        Assert.False(QuarantinePolicy.CanDelete(Bob, message));
    }

    [Fact]
    public void AnAdministratorSeesEverythingButNeedsAReasonToOpenIt()
    {
        var message = Held("unknown sender", "alice@example.test");

        Assert.True(QuarantinePolicy.CanSee(Admin, message));
        Assert.True(QuarantinePolicy.NeedsReason(Admin, message));
        Assert.True(QuarantinePolicy.CanRelease(Admin, message));
    }

    [Theory]
    [InlineData("virus: Eicar-Test-Signature")]
    [InlineData("content could not be fully checked: archive depth 9 > 8")]
    public void OnlyAnAdministratorReleasesAntivirusVerdicts(string reason)
    {
        var message = Held(reason, "alice@example.test");

        Assert.False(QuarantinePolicy.CanRelease(Alice, message));
        Assert.True(QuarantinePolicy.CanRelease(Admin, message));
    }

    [Fact]
    public void AUserCannotDeleteMailOtherPeopleReceivedToo()
    {
        var message = Held("unknown sender", "alice@example.test", "bob@example.test");

        Assert.False(QuarantinePolicy.CanDelete(Alice, message));
        Assert.True(QuarantinePolicy.CanDelete(Admin, message));
    }

    [Fact]
    public void TheDataSubjectsAreTheRecipientsAndTheSender()
    {
        var message = Held("unknown sender", "Alice@example.test", "alice@example.test");

        Assert.Equal(["alice@example.test", "carol@stranger.test"], message.DataSubjects);
    }

    private static QuarantinedMessage Held(string reason, params string[] recipients) =>
        new("id1", "Carol@Stranger.test", recipients, "Hello", reason, DateTimeOffset.UnixEpoch, 1000);

    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
