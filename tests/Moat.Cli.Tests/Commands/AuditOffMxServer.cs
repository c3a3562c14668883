using System.Net;
using System.Net.Sockets;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary>
/// Postfix's smtp-sink on 127.0.0.2: a second loopback address, so a test zone's MX can name
/// 127.0.0.1 and leave this listener out, as a forgotten server outside the MX would be.
/// </summary>
public sealed class AuditOffMxServer : ServerProcess
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    private AuditOffMxServer(int port, IEnumerable<string> arguments)
        : base(SmtpSinkServer.Executable, arguments)
    {
        Port = port;
    }

    public int Port { get; }

    public static async Task<AuditOffMxServer> StartAsync()
    {
        TestPrerequisites.RequireExecutable(SmtpSinkServer.Executable, "postfix");
        var port = FreePort.Get();
        List<string> arguments = Environment.UserName == "root" ? ["-u", "nobody"] : [];
        arguments.AddRange([$"{Address}:{port}", "16"]);
        var server = new AuditOffMxServer(port, arguments);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (true)
            {
                server.ThrowIfExited();
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(Address, port);
                    return server;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }
}
