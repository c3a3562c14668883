using System.Text.RegularExpressions;

namespace Moat.Scanning.Heuristics;

/// <summary>
/// HTML smuggling: a page (HTML or SVG) that carries a file inside itself and has the browser save
/// it, so the file never crosses the gateway as an attachment. The tell-tales are a Blob built from
/// decoded data (atob, a large base64 string) and a save (a download attribute, msSaveOrOpenBlob),
/// or a link that downloads a large base64 data URI.
/// </summary>
internal static partial class HtmlSmugglingDetector
{
    public static bool IsSmuggling(string html, int minBase64Length)
    {
        var createsBlob = NewBlob().IsMatch(html);
        var decodes = Atob().IsMatch(html);
        var saves = Save().IsMatch(html);
        var largeBase64 = HasLargeBase64(html, minBase64Length);
        if (createsBlob && decodes)
        {
            return true;
        }

        if (createsBlob && saves && largeBase64)
        {
            return true;
        }

        return saves && DataUri().Matches(html).Any(m => m.Groups[1].Length >= minBase64Length);
    }

    private static bool HasLargeBase64(string html, int minLength)
    {
        var run = 0;
        foreach (var c in html)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                if (++run >= minLength)
                {
                    return true;
                }
            }
            else if (c is not ('\r' or '\n' or '\\'))
            {
                // Line breaks (and escaped ones in a JS string) do not end a run; anything else does.
                run = 0;
            }
        }

        return false;
    }

    [GeneratedRegex(@"new\s+(?:window\.|self\.|globalThis\.)?Blob\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex NewBlob();

    [GeneratedRegex(@"\batob\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Atob();

    [GeneratedRegex(@"\.download\s*=|\bdownload\s*=|msSaveOrOpenBlob|msSaveBlob|setAttribute\s*\(\s*['""]download", RegexOptions.IgnoreCase)]
    private static partial Regex Save();

    [GeneratedRegex(@"data:[\w.+/-]*(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex DataUri();
}
