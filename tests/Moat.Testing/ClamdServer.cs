using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Testing;

/// <summary>
/// A real clamd on 127.0.0.1 and a free port, and on a Unix socket, with a database the test
/// writes into a temp folder (no signature database ships in Debian). Runs in the foreground as
/// the current user; Dispose stops it by PID. The default database knows EICAR (by MD5) and
/// <see cref="MarkerText"/> (by body pattern).
/// </summary>
public sealed class ClamdServer : ServerProcess
{
    public const string Executable = "/usr/sbin/clamd";

    /// <summary>EICAR's test file, 68 bytes; MD5 44d88612fea8a8f36de82e1278abb02f.</summary>
    public const string EicarText = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /// <summary>A text the default .ndb signature matches anywhere in any file.</summary>
    public const string MarkerText = "MOAT-CLAMD-TEST-MARKER";

    /// <summary>The names clamd reports; it marks signatures from unsigned databases ".UNOFFICIAL".</summary>
    public const string EicarThreat = "Moat.Test.Eicar.UNOFFICIAL";

    public const string MarkerThreat = "Moat.Test.Marker.UNOFFICIAL";

    private readonly TempFolder folder;

    private ClamdServer(TempFolder folder, string configPath, int port)
        : base(Executable, ["--foreground", "--config-file=" + configPath])
    {
        this.folder = folder;
        Port = port;
        SocketPath = folder.Combine("clamd.sock");
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string SocketPath { get; }

    /// <summary>Where clamd logs; its content is in the exception when the start fails.</summary>
    public string LogPath => folder.Combine("clamd.log");

    /// <summary>
    /// Starts clamd. <paramref name="streamMaxLength"/> is clamd's own syntax ("1M", "4096").
    /// <paramref name="databases"/> maps file names (test.hdb, test.ndb …) to their lines and replaces the default database.
    /// </summary>
    public static async Task<ClamdServer> StartAsync(string? streamMaxLength = null, IReadOnlyDictionary<string, string>? databases = null)
    {
        TestPrerequisites.RequireExecutable(Executable, "clamav-daemon");
        var folder = new TempFolder("moat-clamd");
        var database = folder.Combine("db");
        Directory.CreateDirectory(database);
        databases ??= DefaultDatabases();
        foreach (var (name, content) in databases)
        {
            await File.WriteAllTextAsync(Path.Combine(database, name), content);
        }

        var port = FreePort.Get();
        var config = new StringBuilder($"""
            DatabaseDirectory {database}
            TCPSocket {port}
            TCPAddr 127.0.0.1
            LocalSocket {folder.Combine("clamd.sock")}
            Foreground yes
            LogFile {folder.Combine("clamd.log")}
            PidFile {folder.Combine("clamd.pid")}
            TemporaryDirectory {folder.Path}
            MaxThreads 4

            """);
        if (streamMaxLength is not null)
        {
            config.Append($"StreamMaxLength {streamMaxLength}\n");
        }

        var configPath = folder.Combine("clamd.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var server = new ClamdServer(folder, configPath, port);
        try
        {
            await server.WaitForPongAsync(TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The default database: EICAR by MD5 (.hdb) and <see cref="MarkerText"/> by body pattern (.ndb, any target).</summary>
    public static IReadOnlyDictionary<string, string> DefaultDatabases() => new Dictionary<string, string>
    {
        ["moat-test.hdb"] = "44d88612fea8a8f36de82e1278abb02f:68:Moat.Test.Eicar\n",
        ["moat-test.ndb"] = $"Moat.Test.Marker:0:*:{Convert.ToHexStringLower(Encoding.ASCII.GetBytes(MarkerText))}\n",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            folder.Dispose();
        }
    }

    /// <summary>An open port does not mean a loaded database; PONG does.</summary>
    private async Task WaitForPongAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ThrowIfExited();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("zPING\0"u8.ToArray());
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var reply = new MemoryStream();
                await stream.CopyToAsync(reply, wait.Token);
                if (Encoding.ASCII.GetString(reply.ToArray()) == "PONG\0")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet, or still loading its database.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"clamd did not answer PING on port {Port}: {Output} {ReadLog()}");
            }

            await Task.Delay(50);
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogPath);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
