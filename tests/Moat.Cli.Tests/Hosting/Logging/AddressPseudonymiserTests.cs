using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Moat.Cli.Hosting.Logging;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting.Logging;

public sealed class AddressPseudonymiserTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly AddressPseudonymiser pseudonymiser = new(Key);

    [Fact]
    public void APseudonymIsTheStartOfTheKeyedHashOfTheAddressInLowerCase()
    {
        var expected = "addr:" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("alice@example.org"))[..8]);

        var pseudonym = pseudonymiser.Pseudonym("alice@example.org");

        Assert.Equal(expected, pseudonym);
        Assert.Matches("^addr:[0-9a-f]{16}$", pseudonym);
    }

    [Theory]
    [InlineData("Alice@Example.ORG")]
    [InlineData("  alice@example.org\n")]
    [InlineData("<alice@example.org>")]
    [InlineData("alice@example.org.")]
    public void CaseSpaceBracketsAndAFinalDotDoNotMatter(string address)
    {
        Assert.Equal(pseudonymiser.Pseudonym("alice@example.org"), pseudonymiser.Pseudonym(address));
    }

    [Fact]
    public void DifferentAddressesAndDifferentKeysGiveDifferentPseudonyms()
    {
        var other = new AddressPseudonymiser(Enumerable.Repeat((byte)7, 32).ToArray());

        Assert.NotEqual(pseudonymiser.Pseudonym("alice@example.org"), pseudonymiser.Pseudonym("alice+news@example.org"));
        Assert.NotEqual(pseudonymiser.Pseudonym("alice@example.org"), other.Pseudonym("alice@example.org"));
    }

    [Theory]
    [InlineData("refused session=4f2a client=127.0.0.1 from=<{0}> reply=\"550 5.7.1 Relay access denied\"", "alice@example.org")]
    [InlineData("trust from={0} identity=example.org decision=trusted", "alice@example.org")]
    [InlineData("to=<{0}> result=Delivered", "bob+tag@example.test")]
    [InlineData("RCPT TO:<{0}>", "victim@[127.0.0.1]")]
    [InlineData("RCPT TO:<{0}>", "victim@[IPv6:::1]")]
    [InlineData("Invalid address '{0}'.", "bob@example.org")]
    [InlineData("challenge sent to {0} for a message", "Bob.Smith@Mail.Example.ORG")]
    [InlineData("{0}", "\"victim@elsewhere.test\"@example.test")]
    [InlineData("to=\"{0}\"", "bob@example.test")]
    [InlineData("to={0}", "\"john smith\"@example.test")]
    [InlineData("{0}", "victim%elsewhere.test@example.test")]
    [InlineData("{0}", "elsewhere.test!victim@example.test")]
    [InlineData("delivered to {0}.", "bob@example.org")]
    [InlineData("{0}", "SRS0=HHH=TT=example.com=alice@forwarder.example")]
    [InlineData("{{{0}}}", "o'brien@example.ie")]
    [InlineData("{0}", "jörg@bücher.example")]
    [InlineData("{0}", "postmaster@localhost")]
    [InlineData("source route @example.test:{0}", "victim@elsewhere.test")]
    public void AddressesInTextAreReplacedAndWhatSurroundsThemStays(string template, string address)
    {
        var text = string.Format(CultureInfo.InvariantCulture, template, address);

        var rewritten = pseudonymiser.Rewrite(text);

        Assert.Equal(string.Format(CultureInfo.InvariantCulture, template, pseudonymiser.Pseudonym(address)), rewritten);
        Assert.DoesNotContain(address, rewritten, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EveryAddressOfALineIsReplacedEvenWhenTheyTouch()
    {
        var text = "a@example.org,b@example.org c@example.org/d@example.org'e@[192.0.2.1]|f@example.org";

        var rewritten = pseudonymiser.Rewrite(text);

        Assert.DoesNotContain("@", rewritten);
        Assert.Equal(
            $"{P("a@example.org")},{P("b@example.org")} {P("c@example.org")}/{P("d@example.org")}'{P("e@[192.0.2.1]")}|{P("f@example.org")}",
            rewritten);
    }

    [Fact]
    public void ExceptionTextOverSeveralLinesIsCoveredToo()
    {
        var text = new InvalidOperationException("cannot deliver to <carol@example.test>", new FormatException("bad sender dave@example.org")).ToString();

        var rewritten = pseudonymiser.Rewrite(text);

        Assert.DoesNotContain("carol@", rewritten);
        Assert.DoesNotContain("dave@", rewritten);
        Assert.Contains($"<{P("carol@example.test")}>", rewritten);
        Assert.Contains("System.FormatException", rewritten);
    }

    [Theory]
    [InlineData("postmaster")]
    [InlineData("Session 4f2a: client 127.0.0.1 talked before the greeting")]
    [InlineData("user@ and @example.org and example.org")]
    [InlineData("transaction id=1Ab2 rcpts=3 size=1024 verdict=accept")]
    [InlineData("addr:3f9a1c0b7d2e4f61")]
    [InlineData("")]
    public void TextWithoutAnAddressIsLeftAlone(string text)
    {
        Assert.Equal(text, pseudonymiser.Rewrite(text));
    }

    [Fact]
    public void RewritingTwiceChangesNothingMore()
    {
        var once = pseudonymiser.Rewrite("from=<alice@example.org> to=bob@example.test");

        Assert.Equal(once, pseudonymiser.Rewrite(once));
    }

    [Fact]
    public void LongTokensAreSearchedInLinearTime()
    {
        var runs = string.Concat(Enumerable.Repeat("a/", 200_000)) + "@" + string.Concat(Enumerable.Repeat("b.", 200_000));
        var stopwatch = Stopwatch.StartNew();

        var rewritten = pseudonymiser.Rewrite(runs + " " + new string('x', 400_000) + "@example.org");

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
        Assert.DoesNotContain("@", rewritten);
        Assert.DoesNotContain(AddressPseudonymiser.Withheld, rewritten);
    }

    [Theory]
    [InlineData("alice@example.org", true)]
    [InlineData("<Alice@Example.org>", true)]
    [InlineData("bob+tag@example.test.", true)]
    [InlineData("victim@[127.0.0.1]", true)]
    [InlineData("\"john smith\"@example.test", true)]
    [InlineData("alice", false)]
    [InlineData("alice@", false)]
    [InlineData("@example.org", false)]
    [InlineData("alice@example.org bob@example.org", false)]
    public void OnlyAWholeAddressCountsAsOne(string text, bool isAddress)
    {
        Assert.Equal(isAddress, AddressPseudonymiser.IsAddress(text));
    }

    [Fact]
    public void TheKeyIsMadeOwnerOnlyOnFirstUseAndKept()
    {
        using var folder = new TempFolder("moat-pseudonym");
        var data = folder.Combine("data");

        var first = AddressPseudonymiser.LoadOrCreate(data).Pseudonym("alice@example.org");
        var second = AddressPseudonymiser.LoadOrCreate(data).Pseudonym("alice@example.org");

        var keyFile = Path.Combine(data, "pseudonym.key");
        Assert.Equal(32, new FileInfo(keyFile).Length);
        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    private string P(string address) => pseudonymiser.Pseudonym(address);
}
