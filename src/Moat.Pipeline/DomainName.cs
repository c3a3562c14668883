using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Moat.Pipeline;

/// <summary>
/// Syntax checks and the one canonical form in which mail domains are compared: lower-case
/// ASCII (IDNs as punycode) without the trailing dot. Comparing anything else lets
/// <c>EXAMPLE.TEST.</c> or a Unicode spelling slip past a list of our own domains.
/// </summary>
public static class DomainName
{
    /// <summary>RFC 1035's limit for a name in text form without the trailing dot.</summary>
    public const int MaxLength = 253;

    private const int MaxLabelLength = 63;

    /// <summary>
    /// Gives the canonical form of a host name (one trailing dot ignored), or false when it is
    /// not a syntactically valid name of letters, digits and hyphens. Address literals are not
    /// host names and give false.
    /// </summary>
    public static bool TryNormalize(string? domain, [NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        if (string.IsNullOrEmpty(domain))
        {
            return false;
        }

        var name = domain.EndsWith('.') ? domain[..^1] : domain;
        if (name.Length == 0)
        {
            return false;
        }

        string ascii;
        try
        {
            // IdnMapping in invariant globalization mode does not fold case, so fold first.
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(name.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!IsLdhName(ascii))
        {
            return false;
        }

        canonical = ascii;
        return true;
    }

    /// <summary>
    /// A name mail can be routed to: at least two labels and a top-level label that is not all
    /// digits (RFC 3696 §2), so a dotted IPv4 address without brackets does not count.
    /// </summary>
    public static bool IsFullyQualified(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var lastDot = canonical.LastIndexOf('.');
        return lastDot > 0 && canonical.AsSpan(lastDot + 1).ContainsAnyExcept("0123456789");
    }

    /// <summary>An RFC 5321 address literal: <c>[192.0.2.1]</c> (strict dotted quad) or <c>[IPv6:2001:db8::1]</c>.</summary>
    public static bool IsValidAddressLiteral(string? literal)
    {
        if (literal is null || literal.Length < 3 || literal[0] != '[' || literal[^1] != ']')
        {
            return false;
        }

        var inner = literal[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            // IPAddress also takes a scope id ("fe80::1%eth0"), which has no place in an address.
            var address = inner.AsSpan(5);
            return !address.Contains('%') && IPAddress.TryParse(address, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // IPAddress.TryParse also takes "1" or "1.2.3" as IPv4; the literal needs all four parts.
        var parts = inner.Split('.');
        return parts.Length == 4
            && parts.All(p => p.Length is >= 1 and <= 3 && !p.AsSpan().ContainsAnyExcept("0123456789") && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsLdhName(string ascii)
    {
        if (ascii.Length > MaxLength)
        {
            return false;
        }

        foreach (var label in ascii.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (label.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-"))
            {
                return false;
            }
        }

        return true;
    }
}
