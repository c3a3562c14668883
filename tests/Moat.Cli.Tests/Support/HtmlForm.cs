using System.Net;
using System.Text.RegularExpressions;

namespace Moat.Cli.Tests.Support;

/// <summary>Submits a form of one of our pages the way a browser does: with every hidden field it rendered (the antiforgery token among them).</summary>
public static partial class HtmlForm
{
    /// <summary>The hidden fields of the page, plus <paramref name="fields"/>.</summary>
    public static FormUrlEncodedContent Fill(string html, params (string Name, string Value)[] fields)
    {
        var values = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .GroupBy(p => p.Key)
            .Select(g => g.First())
            .Where(p => !fields.Any(f => f.Name == p.Key))
            .Concat(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)))
            .ToList();
        return new FormUrlEncodedContent(values);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
