using System.Net;
using System.Net.Sockets;

namespace Moat.Testing;

/// <summary>Finds a loopback port that is free for both TCP and UDP (DNS servers need both).</summary>
public static class FreePort
{
    public static int Get()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // UDP side taken: try another.
            }
            finally
            {
                tcp.Stop();
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }
}
