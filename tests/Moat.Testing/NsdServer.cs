using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Testing;

/// <summary>
/// A real authoritative DNS server (NSD) on 127.0.0.1 and a free port, serving the given zones,
/// with its configuration, zone files, pid and log in a temp folder. Runs in the foreground
/// (-d) as the current user without chroot, so it needs no system setup.
/// </summary>
public sealed class NsdServer : ServerProcess
{
    public const string Executable = "/usr/sbin/nsd";

    private readonly TempFolder folder;

    private NsdServer(TempFolder folder, string configPath, int port)
        : base(Executable, ["-d", "-c", configPath])
    {
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The server as "127.0.0.1:port", the form DNS options take.</summary>
    public string NameServer => $"127.0.0.1:{Port}";

    public static async Task<NsdServer> StartAsync(params DnsZone[] zones)
    {
        ArgumentOutOfRangeException.ThrowIfZero(zones.Length);
        TestPrerequisites.RequireExecutable(Executable, "nsd");
        var folder = new TempFolder("moat-nsd");
        var port = FreePort.Get();
        var config = new StringBuilder();
        config.Append($"""
            server:
              ip-address: 127.0.0.1
              port: {port}
              do-ip6: no
              username: ""
              chroot: ""
              database: ""
              zonesdir: "{folder.Path}"
              zonelistfile: "{folder.Combine("zone.list")}"
              pidfile: "{folder.Combine("nsd.pid")}"
              xfrdfile: "{folder.Combine("xfrd.state")}"
              xfrdir: "{folder.Path}"
              logfile: "{folder.Combine("nsd.log")}"
              server-count: 1
              verbosity: 1
              hide-version: yes
            remote-control:
              control-enable: no

            """);
        foreach (var zone in zones)
        {
            var file = zone.Name + ".zone";
            await File.WriteAllTextAsync(folder.Combine(file), zone.ToZoneFile());
            config.Append($"zone:\n  name: \"{zone.Name}\"\n  zonefile: \"{file}\"\n");
        }

        var configPath = folder.Combine("nsd.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var server = new NsdServer(folder, configPath, port);
        try
        {
            await server.WaitUntilAnsweringAsync(zones[0].Name, TimeSpan.FromSeconds(15));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            folder.Dispose();
        }
    }

    /// <summary>Sends SOA queries over UDP until an authoritative answer arrives (zones loaded).</summary>
    private async Task WaitUntilAnsweringAsync(string zone, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        var query = BuildQuery(zone, type: 6);
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfExited();
            await udp.SendAsync(query, EndPoint);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var reply = await udp.ReceiveAsync(wait.Token);
                var flags = reply.Buffer.Length >= 4 ? (reply.Buffer[2] << 8) | reply.Buffer[3] : 0;
                var authoritative = (flags & 0x0400) != 0;
                var rcode = flags & 0x000F;
                if (authoritative && rcode == 0)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
                // Port not open yet (ICMP unreachable).
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nsd did not answer for {zone} on port {Port}: {Output} {ReadLog()}");
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(folder.Combine("nsd.log"));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static byte[] BuildQuery(string name, ushort type)
    {
        var packet = new List<byte> { 0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(Encoding.ASCII.GetBytes(label));
        }

        packet.Add(0);
        packet.AddRange([(byte)(type >> 8), (byte)type, 0x00, 0x01]);
        return packet.ToArray();
    }
}
