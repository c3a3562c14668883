using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Moat.Audit.Targets;

/// <summary>An IPv4 or IPv6 network in CIDR notation, e.g. 192.0.2.0/28 or 2001:db8::/120.</summary>
public sealed class CidrNetwork : IEquatable<CidrNetwork>
{
    private readonly byte[] prefixBytes;

    private CidrNetwork(IPAddress prefix, int prefixLength)
    {
        Prefix = prefix;
        PrefixLength = prefixLength;
        prefixBytes = prefix.GetAddressBytes();
    }

    /// <summary>The network address (all host bits zero).</summary>
    public IPAddress Prefix { get; }

    public int PrefixLength { get; }

    public AddressFamily AddressFamily => Prefix.AddressFamily;

    /// <summary>Bits in an address of this family: 32 or 128.</summary>
    public int AddressBits => prefixBytes.Length * 8;

    /// <summary>How many addresses <see cref="Addresses"/> yields.</summary>
    public BigInteger AddressCount
    {
        get
        {
            var size = BigInteger.One << (AddressBits - PrefixLength);

            // An IPv4 network of more than two addresses spends its first and last on the network
            // and broadcast addresses, where no host listens.
            return SkipsNetworkAndBroadcast ? size - 2 : size;
        }
    }

    private bool SkipsNetworkAndBroadcast => AddressFamily == AddressFamily.InterNetwork && PrefixLength <= 30;

    /// <summary>
    /// Parses "address/length". The address must be the network address: "192.0.2.5/28" is
    /// refused with a hint, because a typo there would silently scan a different network.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CidrNetwork? network, out string? error)
    {
        network = null;
        error = null;
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        var addressText = text[..slash];
        var lengthText = text[(slash + 1)..];
        if (!TargetAddress.TryParse(addressText, out var address)
            || lengthText.AsSpan().ContainsAnyExcept("0123456789")
            || lengthText.Length > 3)
        {
            return false;
        }

        var length = int.Parse(lengthText, CultureInfo.InvariantCulture);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (length > bits)
        {
            return false;
        }

        var masked = Mask(address.GetAddressBytes(), length);
        var prefix = new IPAddress(masked);
        if (!prefix.Equals(address))
        {
            error = $"'{text}' has host bits set: the network is {prefix}/{length}";
            return false;
        }

        network = new CidrNetwork(prefix, length);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily)
        {
            return false;
        }

        return Mask(address.GetAddressBytes(), PrefixLength).AsSpan().SequenceEqual(prefixBytes);
    }

    /// <summary>Every host address of the network, lowest first.</summary>
    public IEnumerable<IPAddress> Addresses()
    {
        var first = new BigInteger(prefixBytes, isUnsigned: true, isBigEndian: true);
        var size = BigInteger.One << (AddressBits - PrefixLength);
        var start = SkipsNetworkAndBroadcast ? BigInteger.One : BigInteger.Zero;
        var end = SkipsNetworkAndBroadcast ? size - 1 : size;
        for (var offset = start; offset < end; offset++)
        {
            yield return ToAddress(first + offset, prefixBytes.Length);
        }
    }

    public bool Equals(CidrNetwork? other) =>
        other is not null && PrefixLength == other.PrefixLength && Prefix.Equals(other.Prefix);

    public override bool Equals(object? obj) => Equals(obj as CidrNetwork);

    public override int GetHashCode() => HashCode.Combine(Prefix, PrefixLength);

    public override string ToString() => $"{Prefix}/{PrefixLength}";

    private static byte[] Mask(byte[] bytes, int length)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return bytes;
    }

    private static IPAddress ToAddress(BigInteger value, int byteCount)
    {
        var bytes = new byte[byteCount];
        value.TryWriteBytes(bytes.AsSpan(), out var written, isUnsigned: true, isBigEndian: true);

        // TryWriteBytes writes the minimal big-endian form at the start; shift it to the end.
        if (written < byteCount)
        {
            Array.Copy(bytes, 0, bytes, byteCount - written, written);
            Array.Clear(bytes, 0, byteCount - written);
        }

        return new IPAddress(bytes);
    }
}
