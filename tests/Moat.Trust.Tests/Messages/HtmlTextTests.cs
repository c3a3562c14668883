using Moat.Trust.Messages;

namespace Moat.Trust.Tests.Messages;

public sealed class HtmlTextTests
{
    [Fact]
    public void HtmlIsReducedToItsTextWithoutScriptsOrStyles()
    {
        var text = HtmlText.ToText("<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Hello <b>Alice</b></p><img src=\"http://tracker.test/x.gif\"></body></html>");

        Assert.Contains("Hello Alice", text);
        Assert.DoesNotContain("alert", text);
        Assert.DoesNotContain("color", text);
        Assert.DoesNotContain("tracker", text);
    }
}
