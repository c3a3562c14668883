namespace Moat.Audit.Probing;

/// <summary>Reads the keywords and the AUTH mechanisms out of an EHLO reply.</summary>
public static class EhloKeywords
{
    /// <summary>The first word of each line after the first (which is the server's name), upper-cased, in order.</summary>
    public static IReadOnlyList<string> Parse(IReadOnlyList<string> ehloLines)
    {
        var keywords = new List<string>();
        for (var i = 1; i < ehloLines.Count; i++)
        {
            var text = TextOf(ehloLines[i]);
            var end = text.IndexOf(' ');
            var keyword = end < 0 ? text : text[..end];
            if (keyword.Length > 0)
            {
                keywords.Add(keyword.ToUpperInvariant());
            }
        }

        return keywords;
    }

    /// <summary>
    /// The SASL mechanisms of "AUTH PLAIN LOGIN" and of the pre-RFC form "AUTH=PLAIN LOGIN" that
    /// old Outlook needed, without duplicates, in the order offered.
    /// </summary>
    public static IReadOnlyList<string> AuthMechanisms(IReadOnlyList<string> ehloLines)
    {
        var mechanisms = new List<string>();
        for (var i = 1; i < ehloLines.Count; i++)
        {
            var text = TextOf(ehloLines[i]);
            string rest;
            if (text.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase))
            {
                rest = text[5..];
            }
            else if (text.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            {
                rest = text[5..];
            }
            else
            {
                continue;
            }

            foreach (var mechanism in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = mechanism.ToUpperInvariant();
                if (!mechanisms.Contains(name))
                {
                    mechanisms.Add(name);
                }
            }
        }

        return mechanisms;
    }

    /// <summary>The text after "250-" or "250 ".</summary>
    private static string TextOf(string line) => line.Length > 4 ? line[4..].Trim() : string.Empty;
}
