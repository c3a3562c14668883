using System.Text;

namespace Moat.Trust.Contacts;

/// <summary>
/// The EMAIL values of vCards 2.1, 3.0 and 4.0: folded lines are unfolded, groups
/// (<c>item1.EMAIL</c>, Apple) and parameters (<c>TYPE=…</c>, <c>PREF=…</c>, bare 2.1
/// <c>INTERNET</c>) are ignored, 3.0 escapes and 2.1 quoted-printable are decoded.
/// </summary>
internal static class VCardEmails
{
    public static IEnumerable<string> Read(string text)
    {
        foreach (var line in Unfold(text))
        {
            var colon = FindValueSeparator(line);
            if (colon <= 0)
            {
                continue;
            }

            var head = line[..colon];
            var semicolon = head.IndexOf(';');
            var name = semicolon < 0 ? head : head[..semicolon];
            var dot = name.LastIndexOf('.');
            if (dot >= 0)
            {
                name = name[(dot + 1)..];
            }

            if (!name.Trim().Equals("EMAIL", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = line[(colon + 1)..];
            if (head.Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase))
            {
                value = DecodeQuotedPrintable(value);
            }

            yield return Unescape(value);
        }
    }

    /// <summary>Logical lines: a line that starts with a space or tab continues the one before.</summary>
    private static List<string> Unfold(string text)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        var started = false;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (raw.Length > 0 && raw[0] is ' ' or '\t' && started)
            {
                current.Append(raw, 1, raw.Length - 1);
                continue;
            }

            // A 2.1 quoted-printable value ending in '=' is soft-broken onto the next line.
            if (started && IsSoftBreak(current))
            {
                current.Length--;
                current.Append(raw);
                continue;
            }

            if (started)
            {
                lines.Add(current.ToString());
            }

            current.Clear().Append(raw);
            started = true;
        }

        if (started)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    private static bool IsSoftBreak(StringBuilder line)
    {
        if (line.Length == 0 || line[^1] != '=')
        {
            return false;
        }

        var text = line.ToString();
        var colon = FindValueSeparator(text);
        return colon > 0 && text[..colon].Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The colon between name and value; parameter values may be quoted and hold colons (vCard 4).</summary>
    private static int FindValueSeparator(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == ':' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\'))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                result.Append(value[i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else
            {
                result.Append(value[i]);
            }
        }

        return result.ToString();
    }

    private static string DecodeQuotedPrintable(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '=' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
