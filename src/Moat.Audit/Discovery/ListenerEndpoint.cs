using System.Net;

namespace Moat.Audit.Discovery;

/// <summary>An address and port that accepted a TCP connection, with the host name it was found under, if any.</summary>
public sealed record ListenerEndpoint(IPAddress Address, int Port, string? HostName = null)
{
    public override string ToString() =>
        Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
