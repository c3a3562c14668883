using Moat.Testing;
using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

public sealed class ReleaseLinksTests
{
    private readonly ManualClock clock = new();
    private readonly ReleaseLinks links;

    public ReleaseLinksTests() =>
        links = new ReleaseLinks(new byte[32], new Uri("https://mail.example.test:8025/"), TimeSpan.FromDays(7), clock);

    [Fact]
    public void ALinkNamesItsMessageAndRecipient()
    {
        var link = links.Create("0000018F2A3B4C5D-ABCDEF01", "Alice@Example.test");

        Assert.StartsWith("https://mail.example.test:8025/release/", link.ToString());
        var verified = links.Verify(Token(link));
        Assert.Equal(("0000018F2A3B4C5D-ABCDEF01", "alice@example.test"), verified);
    }

    [Fact]
    public void AnExpiredLinkIsRefused()
    {
        var link = links.Create("id1", "alice@example.test");

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Null(links.Verify(Token(link)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChangingAnyPartBreaksTheSignature(int part)
    {
        var parts = Token(links.Create("id1", "alice@example.test")).Split('.');
        parts[part] = part == 2 ? (long.Parse(parts[2]) + 86400).ToString() : "A" + parts[part][1..];

        Assert.Null(links.Verify(string.Join('.', parts)));
    }

    [Fact]
    public void AnotherInstallationsKeyIsRefused()
    {
        var other = new ReleaseLinks(Enumerable.Repeat((byte)7, 32).ToArray(), new Uri("https://mail.example.test/"), TimeSpan.FromDays(7), clock);

        Assert.Null(links.Verify(Token(other.Create("id1", "alice@example.test"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b.c")]
    [InlineData("a.b.notanumber.d")]
    [InlineData("....")]
    public void GarbageIsRefused(string token) => Assert.Null(links.Verify(token));

    private static string Token(Uri link) => link.AbsolutePath["/release/".Length..];
}
