using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Moat.Scanning.Content;

/// <summary>
/// Every file name a mail client might show for a part. Broken parameters (RFC 2231 continuations
/// out of order or with gaps, duplicate name/filename, RFC 2047 where it is not allowed, odd quoting,
/// duplicate headers) are read several ways; the attacker's real name is usually among them.
/// </summary>
internal static partial class FileNameCandidates
{
    public static IReadOnlyList<string> Collect(HeaderList headers)
    {
        var values = headers
            .Where(h => h.Id is HeaderId.ContentType or HeaderId.ContentDisposition)
            .Select(h => Unfold(Encoding.UTF8.GetString(h.RawValue)))
            .ToList();
        if (values.Count == 0)
        {
            return [];
        }

        // Each header alone, and all of them as one (continuations split across duplicate headers).
        var sources = new List<string>(values);
        if (values.Count > 1)
        {
            sources.Add(string.Join("; ", values));
        }

        var names = new List<string>();
        foreach (var source in sources)
        {
            foreach (var text in new[] { source, StripComments(source) }.Distinct(StringComparer.Ordinal))
            {
                // The naive reading runs to the end of a header, so it only makes sense per header.
                IEnumerable<string> naive = values.Contains(source) ? NaiveNames(text) : [];
                foreach (var candidate in FromValue(text).Concat(naive))
                {
                    foreach (var name in new[] { candidate, Normalize(candidate) })
                    {
                        var clean = name.Trim().Trim('"', '\'').Trim();
                        if (clean.Length > 0 && clean.Length <= 1024 && !clean.Contains('\0') && !names.Contains(clean, StringComparer.Ordinal))
                        {
                            names.Add(clean);
                        }
                    }
                }
            }
        }

        return names;
    }

    /// <summary>
    /// What a naive client takes: everything after "name=" up to the next parameter, with quotes,
    /// backslashes and semicolons dropped ("file;.zip", "file\\\".zip", "\"file\".zip").
    /// </summary>
    private static IEnumerable<string> NaiveNames(string value)
    {
        foreach (Match match in NaiveName().Matches(value))
        {
            var rest = match.Groups[1].Value;
            var next = NextParameter().Match(rest);
            if (next.Success)
            {
                rest = rest[..next.Index];
            }

            yield return Normalize(rest.Replace(";", "", StringComparison.Ordinal));
        }
    }

    private static string Normalize(string name) =>
        name.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal).Trim();

    private static string StripComments(string value) => Comment().Replace(value, "");

    [GeneratedRegex(@"(?i)(?:^|[;\s])(?:file)?name\*?\s*=\s*(.*)$")]
    private static partial Regex NaiveName();

    [GeneratedRegex(@";\s*[\w*.-]+\s*=")]
    private static partial Regex NextParameter();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Comment();

    [GeneratedRegex(@"=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    internal static IEnumerable<string> FromValue(string value)
    {
        // Read the parameters twice: once honouring quotes, once splitting at every ';' as a naive client would.
        foreach (var respectQuotes in new[] { true, false })
        {
            var parameters = SplitParameters(value, respectQuotes);
            var continuations = new SortedDictionary<int, (string Value, bool Encoded)>();
            var documentOrder = new List<(string Value, bool Encoded)>();
            foreach (var (key, rawValue) in parameters)
            {
                var baseName = key;
                var star = key.IndexOf('*');
                if (star >= 0)
                {
                    baseName = key[..star];
                }

                baseName = baseName.Trim().ToLowerInvariant();
                if (baseName is not ("name" or "filename"))
                {
                    continue;
                }

                var rest = star >= 0 ? key[(star + 1)..] : "";
                var encoded = rest.EndsWith('*') || (star >= 0 && rest.Length == 0);
                var indexText = rest.TrimEnd('*');
                var unquoted = Unquote(rawValue);
                if (indexText.Length > 0 && int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    continuations.TryAdd(index, (unquoted, encoded));
                    documentOrder.Add((unquoted, encoded));
                    continue;
                }

                yield return unquoted;
                if (encoded)
                {
                    yield return DecodeRfc2231(unquoted, null, out _);
                }

                yield return DecodeRfc2047(unquoted);
            }

            foreach (var joined in JoinContinuations(continuations.Values))
            {
                yield return joined;
            }

            foreach (var joined in JoinContinuations(documentOrder))
            {
                yield return joined;
            }
        }
    }

    private static IEnumerable<string> JoinContinuations(IEnumerable<(string Value, bool Encoded)> parts)
    {
        var list = parts.ToList();
        if (list.Count == 0)
        {
            yield break;
        }

        var plain = new StringBuilder();
        var decoded = new StringBuilder();
        string? charset = null;
        foreach (var (value, encoded) in list)
        {
            plain.Append(value);
            decoded.Append(encoded ? DecodeRfc2231(value, charset, out charset) : value);
        }

        yield return plain.ToString();
        yield return decoded.ToString();
        yield return DecodeRfc2047(decoded.ToString());
    }

    private static List<(string Key, string Value)> SplitParameters(string value, bool respectQuotes)
    {
        var result = new List<(string, string)>();
        var segments = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (respectQuotes && c == '\\' && quoted && i + 1 < value.Length)
            {
                current.Append(c).Append(value[++i]);
                continue;
            }

            if (respectQuotes && c == '"')
            {
                quoted = !quoted;
            }

            if (c == ';' && !quoted)
            {
                segments.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        segments.Add(current.ToString());
        foreach (var segment in segments.Skip(1).Concat(segments.Take(1)))
        {
            var eq = segment.IndexOf('=');
            if (eq > 0)
            {
                result.Add((segment[..eq].Trim().Trim('"'), segment[(eq + 1)..].Trim()));
            }
        }

        return result;
    }

    private static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.Length >= 2 && v[0] == '"')
        {
            var end = v.IndexOf('"', 1);
            while (end > 0 && v[end - 1] == '\\')
            {
                end = v.IndexOf('"', end + 1);
            }

            v = end > 0 ? v[1..end] : v[1..];
            return v.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        // An unquoted value ends at white space or a comment, as a tolerant parser reads it.
        var stop = v.IndexOfAny([' ', '\t', '(']);
        return stop > 0 ? v[..stop] : v;
    }

    private static string DecodeRfc2231(string value, string? charset, out string? charsetUsed)
    {
        charsetUsed = charset;
        var text = value;
        var first = text.IndexOf('\'');
        var second = first >= 0 ? text.IndexOf('\'', first + 1) : -1;
        if (second > first && first >= 0)
        {
            charsetUsed = text[..first];
            text = text[(second + 1)..];
        }

        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return DecodeBytes(bytes.ToArray(), charsetUsed);
    }

    /// <summary>
    /// Decodes with the named charset. "UTF-16" without a byte order mark is big-endian by its RFC,
    /// little-endian on Windows; the byte that is zero tells which one a name was written in.
    /// </summary>
    private static string DecodeBytes(byte[] bytes, string? charset)
    {
        if (charset is not null && charset.Trim().Equals("utf-16", StringComparison.OrdinalIgnoreCase) && bytes.Length >= 2)
        {
            return (bytes[0] == 0 ? Encoding.BigEndianUnicode : Encoding.Unicode).GetString(bytes);
        }

        return GetEncoding(charset).GetString(bytes);
    }

    private static Encoding GetEncoding(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(charset.Trim());
        }
        catch (Exception)
        {
            return Encoding.UTF8;
        }
    }

    /// <summary>Decodes RFC 2047 encoded words where a client would (even inside quotes, where the RFC forbids them).</summary>
    private static string DecodeRfc2047(string value) => EncodedWord().Replace(value, word =>
    {
        try
        {
            var text = word.Groups[3].Value;
            byte[] bytes;
            if (word.Groups[2].Value is "B" or "b")
            {
                var clean = new string(text.Where(c => Base64Decoder.IsAlphabet(c)).ToArray());
                bytes = Convert.FromBase64String(clean.PadRight((clean.Length + 3) / 4 * 4, '='));
            }
            else
            {
                var list = new List<byte>();
                for (var i = 0; i < text.Length; i++)
                {
                    if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
                    {
                        list.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                        i += 2;
                    }
                    else
                    {
                        list.Add(text[i] == '_' ? (byte)' ' : (byte)text[i]);
                    }
                }

                bytes = list.ToArray();
            }

            return DecodeBytes(bytes, word.Groups[1].Value);
        }
        catch (FormatException)
        {
            return word.Value;
        }
    });

    private static string Unfold(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
}
