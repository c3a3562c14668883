using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Moat.Audit.Targets;

/// <summary>
/// Strict address parsing for targets. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// also takes "1", "1.2.3", "0x7f.1" and octal parts, which would scan some address the operator
/// never wrote; a target must be a dotted quad or a plain IPv6 address (optionally in brackets).
/// </summary>
internal static class TargetAddress
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            text = text[1..^1];
            if (!text.Contains(':'))
            {
                return false;
            }
        }

        if (text.Contains(':'))
        {
            // A scope id ("fe80::1%eth0") names an interface of this machine, not a target.
            if (text.Contains('%') || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || part.AsSpan().ContainsAnyExcept("0123456789")
                || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        address = IPAddress.Parse(text);
        return true;
    }

    /// <summary>Whether the text has the shape of a dotted IPv4 address (digits and dots only), valid or not.</summary>
    public static bool LooksLikeIpv4(string text) =>
        text.Length > 0 && text.Contains('.') && !text.AsSpan().ContainsAnyExcept("0123456789.");
}
