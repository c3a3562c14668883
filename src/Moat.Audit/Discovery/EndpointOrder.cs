using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>Orders addresses numerically (IPv4 before IPv6) so reports list hosts the way operators read them.</summary>
internal sealed class EndpointOrder : IComparer<IPAddress>, IComparer<ListenerEndpoint>
{
    public static EndpointOrder Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var a = x.GetAddressBytes();
        var b = y.GetAddressBytes();
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
    }

    public int Compare(ListenerEndpoint? x, ListenerEndpoint? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var byAddress = Compare(x.Address, y.Address);
        return byAddress != 0 ? byAddress : x.Port.CompareTo(y.Port);
    }
}
