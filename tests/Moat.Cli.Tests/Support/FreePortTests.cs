using System.Net;
using System.Net.Sockets;
using Moat.Testing;

namespace Moat.Cli.Tests.Support;

/// <summary>
/// A port handed out twice made two listeners of one gateway collide in CI
/// ("127.0.0.1:N is used by another listener"); these pin down the two guarantees that prevent it.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void NeverHandsOutTheSamePortTwice()
    {
        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.Get()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void StaysBelowTheEphemeralRangeSoOutgoingConnectionsCannotTakeThePort()
    {
        Assert.All(Enumerable.Range(0, 50).Select(_ => FreePort.Get()), port => Assert.InRange(port, 1024, 32767));
    }

    [Fact]
    public void TheHandedOutPortCanBeBoundForTcpAndUdp()
    {
        var port = FreePort.Get();

        var tcp = new TcpListener(IPAddress.Loopback, port);
        tcp.Start();
        tcp.Stop();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
    }
}
