using System.Net;
using System.Net.Sockets;

namespace Moat.Testing;

/// <summary>
/// Finds a loopback port that is free for both TCP and UDP (DNS servers need both).
/// Ports come from below Linux's ephemeral range (32768+), so an outgoing connection can never
/// take a port between the moment it is handed out and the moment a server binds it, and a port
/// is never handed out twice in one process. Each process starts at a random point of the range
/// so that test assemblies running side by side rarely probe the same ports.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;

    private static readonly object Gate = new();
    private static readonly HashSet<int> HandedOut = new();
    private static int next = Random.Shared.Next(First, Last);

    public static int Get()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < Last - First; attempt++)
            {
                var port = next;
                next = next >= Last ? First : next + 1;
                if (HandedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            finally
            {
                tcp.Stop();
            }
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
