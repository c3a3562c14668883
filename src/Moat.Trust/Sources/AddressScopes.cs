using System.Net;
using System.Net.Sockets;

namespace Moat.Trust.Sources;

/// <summary>Which addresses are on the public internet, for deciding where a callout may connect.</summary>
internal static class AddressScopes
{
    public static bool IsPublic(IPAddress address)
    {
        address = HeloSanity.Canonical(address);
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] >= 224 ||
                     (b[0] == 100 && b[1] is >= 64 and <= 127) ||  // CGNAT, RFC 6598
                     (b[0] == 169 && b[1] == 254) ||
                     (b[0] == 172 && b[1] is >= 16 and <= 31) ||
                     (b[0] == 192 && b[1] == 168));
        }

        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast ||
                 (v6[0] & 0xFE) == 0xFC);  // unique local fc00::/7, RFC 4193
    }
}
