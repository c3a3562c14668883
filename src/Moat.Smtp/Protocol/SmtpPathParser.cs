using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Smtp.Protocol;

/// <summary>
/// Parses RFC 5321 §4.1.2 paths, with RFC 6531 UTF-8 in local parts and domains. It judges
/// syntax only: source routes, percent hacks, bang paths and quoted "@" are recorded, not refused.
/// </summary>
public static class SmtpPathParser
{
    private const string AtextSpecials = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>
    /// Parses a path that starts at <paramref name="position"/> (which must be '&lt;') and
    /// advances past its closing '&gt;'.
    /// </summary>
    /// <param name="allowBareLocalPart">
    /// Accept a local part without a domain, such as <c>&lt;Postmaster&gt;</c> (RFC 5321 §4.1.1.3) or
    /// <c>&lt;root&gt;</c> from a local cron job. Whether such an address is acceptable is policy's
    /// decision (the relay and sender filters), so the parser only records it.
    /// </param>
    public static bool TryParse(string text, ref int position, bool allowNull, bool allowBareLocalPart, out SmtpPath path)
    {
        path = SmtpPath.Null;
        var p = position;
        if (p >= text.Length || text[p] != '<')
        {
            return false;
        }

        var start = ++p;
        if (p < text.Length && text[p] == '>')
        {
            position = p + 1;
            return allowNull;
        }

        string? route = null;
        if (p < text.Length && text[p] == '@')
        {
            var routeStart = p;
            while (true)
            {
                if (!Expect(text, ref p, '@') || !SkipDomain(text, ref p))
                {
                    return false;
                }

                if (p < text.Length && text[p] == ',')
                {
                    p++;
                    continue;
                }

                route = text[routeStart..p];
                if (!Expect(text, ref p, ':'))
                {
                    return false;
                }

                break;
            }
        }

        if (!TryParseLocalPart(text, ref p, out var localPart, out var quoted))
        {
            return false;
        }

        string? domain = null;
        if (p < text.Length && text[p] == '@')
        {
            p++;
            var domainStart = p;
            var ok = p < text.Length && text[p] == '[' ? SkipAddressLiteral(text, ref p) : SkipDomain(text, ref p);
            if (!ok)
            {
                return false;
            }

            domain = text[domainStart..p];
        }
        else if (!allowBareLocalPart || route is not null || quoted)
        {
            return false;
        }

        if (!Expect(text, ref p, '>'))
        {
            return false;
        }

        path = new SmtpPath(localPart, domain, text[start..(p - 1)], route, quoted);
        position = p;
        return true;
    }

    /// <summary>Whether the path uses anything beyond ASCII (allowed only with SMTPUTF8).</summary>
    public static bool IsAscii(SmtpPath path) => Ascii.IsValid(path.Raw);

    private static bool TryParseLocalPart(string text, ref int p, out string localPart, out bool quoted)
    {
        localPart = string.Empty;
        quoted = p < text.Length && text[p] == '"';
        if (!quoted)
        {
            var start = p;
            while (true)
            {
                var atomStart = p;
                while (p < text.Length && IsAtext(text[p]))
                {
                    p++;
                }

                if (p == atomStart)
                {
                    return false;
                }

                if (p < text.Length && text[p] == '.')
                {
                    p++;
                    continue;
                }

                localPart = text[start..p];
                return true;
            }
        }

        var builder = new StringBuilder();
        p++;
        while (p < text.Length)
        {
            var c = text[p++];
            if (c == '"')
            {
                localPart = builder.ToString();
                return true;
            }

            if (c == '\\')
            {
                if (p >= text.Length || text[p] is < ' ' or > '~')
                {
                    return false;
                }

                builder.Append(text[p++]);
            }
            else if (c is (>= ' ' and <= '~') or > '\x7f')
            {
                builder.Append(c);
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    // Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]; U-labels allowed.
    // Tolerated beyond the grammar, as mail servers at large do: underscores in labels (real
    // host names have them) and one trailing dot (the root). Relay policy normalises both.
    private static bool SkipDomain(string text, ref int p)
    {
        var labels = 0;
        while (true)
        {
            var labelStart = p;
            while (p < text.Length && (IsLetDig(text[p]) || text[p] is '-' or '_'))
            {
                p++;
            }

            if (p == labelStart)
            {
                // "example.com." ends here: a trailing dot after at least one label.
                return labels > 0 && text[p - 1] == '.' && (p == text.Length || text[p] != '.');
            }

            if (text[labelStart] == '-' || text[p - 1] == '-')
            {
                return false;
            }

            labels++;
            if (p < text.Length && text[p] == '.')
            {
                p++;
                continue;
            }

            return true;
        }
    }

    private static bool SkipAddressLiteral(string text, ref int p)
    {
        var close = text.IndexOf(']', p);
        if (close < 0)
        {
            return false;
        }

        var content = text[(p + 1)..close];
        p = close + 1;
        if (content.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(content[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                && !content.Contains('%');
        }

        if (content.Length > 0 && (char.IsAsciiDigit(content[0]) || content[0] == '.'))
        {
            return IsIPv4(content);
        }

        // General-address-literal = Standardized-tag ":" 1*dcontent
        var colon = content.IndexOf(':');
        if (colon <= 0 || colon == content.Length - 1)
        {
            return false;
        }

        var tag = 0;
        if (!SkipDomain(content[..colon], ref tag) || tag != colon || content[..colon].Contains('.'))
        {
            return false;
        }

        foreach (var c in content[(colon + 1)..])
        {
            if (c is < '!' or > '~' or '[' or '\\' or ']')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv4(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || int.Parse(part) > 255)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Expect(string text, ref int p, char c)
    {
        if (p < text.Length && text[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c) || c > '\x7f';

    private static bool IsLetDig(char c) => char.IsAsciiLetterOrDigit(c) || c > '\x7f';
}
