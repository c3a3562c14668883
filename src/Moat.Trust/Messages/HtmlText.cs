using System.Text;
using MimeKit.Text;

namespace Moat.Trust.Messages;

/// <summary>The text a reader sees in an HTML body: what is between tags, without scripts and styles.</summary>
public static class HtmlText
{
    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var skipping = false;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.P or HtmlTagId.Br or HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.LI:
                    text.Append('\n');
                    break;
                case HtmlDataToken data when !skipping:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString().Trim();
    }
}
