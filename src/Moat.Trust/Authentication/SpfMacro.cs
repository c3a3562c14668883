using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Trust.Authentication;

/// <summary>
/// RFC 7208 §7 macro strings: syntax checks and expansion. Expansion is pure; the one value that
/// needs DNS (%{p}) is resolved by the caller into the context first.
/// </summary>
internal static partial class SpfMacro
{
    private const string Delimiters = ".-+,/_=";
    private const string Letters = "slodiphv";
    private const string ExplanationLetters = "slodiphvcrt";

    /// <summary>Throws permerror unless <paramref name="text"/> is a valid macro-string (or explain-string).</summary>
    public static void Validate(string text, bool explanation) => Run(text, context: null, explanation);

    /// <summary>Expands a macro-string that must be valid (throws permerror otherwise).</summary>
    public static string Expand(string text, SpfMacroContext context, bool explanation = false) => Run(text, context, explanation);

    /// <summary>
    /// Throws permerror unless <paramref name="spec"/> is a domain-spec: a macro-string ending in a
    /// macro or in "." and a top label that is not all digits (§7.1), which rejects "a:192.0.2.1".
    /// </summary>
    public static void ValidateDomainSpec(string spec)
    {
        if (spec.Length == 0)
        {
            throw SpfException.Perm("empty domain-spec");
        }

        Validate(spec, explanation: false);
        var tail = spec[EndOfLastMacro(spec)..];
        if (tail.Length > 0 && !DomainEnd().IsMatch(tail))
        {
            throw SpfException.Perm($"'{spec}' does not end in a valid top-level label");
        }
    }

    /// <summary>Whether expanding the string needs %{p}, the client's validated name.</summary>
    public static bool NeedsValidatedDomain(string text) => text.Contains("%{p", StringComparison.OrdinalIgnoreCase);

    /// <summary>Validates (context null) or expands (context set) in one pass, so both agree on the grammar.</summary>
    private static string Run(string text, SpfMacroContext? context, bool explanation)
    {
        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                // macro-literal is %x21-24 / %x26-7E; an explain-string also has spaces.
                if (c is < '!' or > '~' && !(explanation && c == ' '))
                {
                    throw SpfException.Perm($"character 0x{(int)c:x2} is not allowed in a macro-string");
                }

                output.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw SpfException.Perm("'%' at the end of a macro-string");
            }

            switch (text[i + 1])
            {
                case '%':
                    output.Append('%');
                    i += 2;
                    break;
                case '_':
                    output.Append(' ');
                    i += 2;
                    break;
                case '-':
                    output.Append("%20");
                    i += 2;
                    break;
                case '{':
                    i = ExpandMacro(text, i + 2, context, explanation, output);
                    break;
                default:
                    throw SpfException.Perm($"'%{text[i + 1]}' is not a macro");
            }
        }

        return output.ToString();
    }

    /// <summary>Reads "letter transformers delimiters }" from <paramref name="start"/>; returns the index after "}".</summary>
    private static int ExpandMacro(string text, int start, SpfMacroContext? context, bool explanation, StringBuilder output)
    {
        var i = start;
        if (i >= text.Length)
        {
            throw SpfException.Perm("unterminated macro");
        }

        var letter = text[i++];
        var lower = char.ToLowerInvariant(letter);
        if (!(explanation ? ExplanationLetters : Letters).Contains(lower))
        {
            throw SpfException.Perm($"'{letter}' is not a macro letter here");
        }

        var digitsStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var keep = 0;
        if (i > digitsStart)
        {
            // More than three digits asks for more labels than a name can have: keep them all.
            var digits = text.AsSpan(digitsStart, i - digitsStart);
            keep = digits.Length > 3 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
            if (digits.TrimStart('0').Length == 0)
            {
                throw SpfException.Perm("a macro's digit transformer must not be zero");
            }
        }

        var reverse = false;
        if (i < text.Length && text[i] is 'r' or 'R')
        {
            reverse = true;
            i++;
        }

        var delimitersStart = i;
        while (i < text.Length && Delimiters.Contains(text[i]))
        {
            i++;
        }

        var delimiters = text[delimitersStart..i];
        if (i >= text.Length || text[i] != '}')
        {
            throw SpfException.Perm("malformed macro");
        }

        if (context is not null)
        {
            var value = Transform(Value(lower, context), keep, reverse, delimiters);
            output.Append(char.IsAsciiLetterUpper(letter) ? UrlEscape(value) : value);
        }

        return i + 1;
    }

    private static string Value(char letter, SpfMacroContext context) => letter switch
    {
        's' => context.Sender,
        'l' => context.LocalPart,
        'o' => context.SenderDomain,
        'd' => context.Domain,
        'i' => DottedAddress(context.Client),
        'p' => context.ValidatedDomain,
        'h' => context.Helo,
        'v' => context.Client.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'c' => context.Client.ToString(),
        'r' => context.ReceivingHost,
        't' => context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException("unchecked macro letter " + letter),
    };

    /// <summary>§7.3: split on the delimiters, optionally reverse, keep the right-most parts, join with ".".</summary>
    private static string Transform(string value, int keep, bool reverse, string delimiters)
    {
        var parts = value.Split((delimiters.Length == 0 ? "." : delimiters).ToCharArray());
        if (reverse)
        {
            Array.Reverse(parts);
        }

        if (keep > 0 && keep < parts.Length)
        {
            parts = parts[^keep..];
        }

        return string.Join('.', parts);
    }

    /// <summary>%{i}: dotted quad, or for IPv6 the 32 nibbles in dot format (§7.3).</summary>
    private static string DottedAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var hex = Convert.ToHexStringLower(address.GetAddressBytes());
        return string.Join('.', hex.ToCharArray());
    }

    /// <summary>Upper-case macros are URL-escaped: everything but RFC 3986 unreserved characters.</summary>
    private static string UrlEscape(string value)
    {
        var output = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                output.Append(c);
            }
            else
            {
                output.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return output.ToString();
    }

    /// <summary>The index just after the last macro-expand in a valid macro-string (0 if none).</summary>
    private static int EndOfLastMacro(string text)
    {
        var end = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                i++;
            }
            else if (text[i + 1] == '{')
            {
                i = text.IndexOf('}', i) + 1;
                end = i;
            }
            else
            {
                i += 2;
                end = i;
            }
        }

        return end;
    }

    /// <summary>domain-end: "." toplabel ["."], toplabel being alphanumeric with a letter, or hyphenated inside.</summary>
    [GeneratedRegex(@"\.(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])\.?$")]
    private static partial Regex DomainEnd();
}
