namespace Moat.Trust.Authentication;

/// <summary>
/// RFC 6376 §3.2 tag=value lists (DKIM-Signature fields and key records): tags separated by ";",
/// whitespace around tags and values ignored, tag names case-sensitive, duplicates invalid.
/// </summary>
internal static class DkimTagList
{
    /// <summary>The tags in order of appearance, or null when the list is malformed.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? Parse(string text)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = text.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim(' ', '\t', '\r', '\n');
            if (part.Length == 0)
            {
                // Only the last part may be empty (a trailing ";"); empty tags elsewhere are errors.
                if (i == parts.Length - 1)
                {
                    continue;
                }

                return null;
            }

            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                return null;
            }

            var name = part[..equals].TrimEnd(' ', '\t', '\r', '\n');
            if (!IsTagName(name) || !seen.Add(name))
            {
                return null;
            }

            tags.Add(new(name, part[(equals + 1)..].Trim(' ', '\t', '\r', '\n')));
        }

        return tags;
    }

    /// <summary>The value of a tag, or null when absent.</summary>
    public static string? Get(this IReadOnlyList<KeyValuePair<string, string>> tags, string name) =>
        tags.FirstOrDefault(t => t.Key == name).Value;

    /// <summary>A value with all folding whitespace removed (base64 in b=, bh=, p= may be folded).</summary>
    public static string WithoutWhitespace(string value) =>
        string.Concat(value.Where(c => c is not (' ' or '\t' or '\r' or '\n')));

    private static bool IsTagName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
