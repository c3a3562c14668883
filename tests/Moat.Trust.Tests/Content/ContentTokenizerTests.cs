using System.Text;
using Moat.Trust.Content;

namespace Moat.Trust.Tests.Content;

public sealed class ContentTokenizerTests
{
    private static Task<IReadOnlySet<string>> Read(string message) =>
        ContentTokenizer.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n"))), CancellationToken.None);

    [Fact]
    public async Task SubjectWordsBodyWordsWordPairsAndLinkHostsAreTokens()
    {
        var tokens = await Read("From: carol@bank.test\nSubject: Cheap watches\nX-Mailer: Bulk Sender 3\n\nBuy cheap watches at http://shop.watches.test/now today\n");

        Assert.Contains("subject:cheap", tokens);
        Assert.Contains("cheap", tokens);
        Assert.Contains("pair:cheap watches", tokens);
        Assert.Contains("url:watches", tokens);
        Assert.Contains("x-mailer:bulk", tokens);
        Assert.Contains("header:from", tokens);
        Assert.Contains("type:text/plain", tokens);
    }

    [Fact]
    public async Task TheListsSubjectTagFooterAndHeadersAreLeftOut()
    {
        var tokens = await Read(
            "From: carol@bank.test\nSubject: [dev] Release notes\nList-Id: <dev.partner.test>\nReceived: from relay.partner.test\n\n"
            + "The release is out.\n_______________________________________________\ndev mailing list\nunsubscribe here\n");

        Assert.Contains("subject:release", tokens);
        Assert.DoesNotContain("subject:dev", tokens);
        Assert.DoesNotContain("unsubscribe", tokens);
        Assert.DoesNotContain("header:list-id", tokens);
        Assert.DoesNotContain("header:received", tokens);
    }

    [Fact]
    public async Task HtmlIsReadAsItsTextAndLongWordsAreSummarised()
    {
        var tokens = await Read(
            "From: carol@bank.test\nContent-Type: text/html\n\n<html><style>.offer{}</style><p>Exclusive <b>offer</b> aaaaaaaaaaaaaaaaaaaaaaaaa</p></html>\n");

        Assert.Contains("exclusive", tokens);
        Assert.Contains("offer", tokens);
        Assert.DoesNotContain(tokens, t => t.Contains("style", StringComparison.Ordinal) || t.Contains("<p>", StringComparison.Ordinal));
        Assert.Contains("long:a20", tokens);
    }

    [Fact]
    public async Task AHugeTextPartIsReadOnlyInPartAndTheTokensAreBounded()
    {
        var words = string.Join(' ', Enumerable.Range(0, 200_000).Select(i => "w" + i.ToString("x6", System.Globalization.CultureInfo.InvariantCulture)));
        var tokens = await Read("From: carol@bank.test\nSubject: big\n\n" + words + "\n");

        Assert.InRange(tokens.Count, 1_000, ContentTokenizer.MaximumTokens);
        Assert.DoesNotContain("w02ffff", tokens);
    }
}
