using System.Net;

namespace Moat.Trust.Authentication;

/// <summary>CIDR comparison: whether two addresses share their first <c>prefixLength</c> bits.</summary>
internal static class IPAddressPrefix
{
    public static bool Matches(IPAddress network, IPAddress address, int prefixLength)
    {
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        var fullBytes = prefixLength / 8;
        if (!a.AsSpan(0, fullBytes).SequenceEqual(b.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (a[fullBytes] & mask) == (b[fullBytes] & mask);
    }
}
