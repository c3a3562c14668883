using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Trust.Tests.Sources;

/// <summary>
/// A minimal SMTP responder on 127.0.0.1 for the answers a real server is hard to make give:
/// silence, malformed or endless replies, 5xx greetings, an EHLO it does not know. It records
/// every command line of every connection, so a test can see exactly what the probe sent.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    /// <summary>Reply that means "say nothing" (the client has to time out).</summary>
    public const string Silence = "<silence>";

    private readonly TcpListener listener;
    private readonly Func<string, string?> respond;
    private readonly string greeting;
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> commands = [];
    private readonly List<Task> sessions = [];
    private readonly Task acceptLoop;
    private int connections;

    /// <param name="respond">The reply to a command line (CRLF between lines of a multi-line reply); null for the default.</param>
    /// <param name="greeting">The greeting, or <see cref="Silence"/>.</param>
    private ScriptedSmtpServer(Func<string, string?>? respond, string greeting)
    {
        this.respond = respond ?? (_ => null);
        this.greeting = greeting;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (commands)
            {
                return commands.ToList();
            }
        }
    }

    public static ScriptedSmtpServer Start(Func<string, string?>? respond = null, string greeting = "220 mx.callout.test ESMTP") =>
        new(respond, greeting);

    public static string DefaultReply(string command)
    {
        var verb = command.Split(' ', 2)[0].ToUpperInvariant();
        return verb switch
        {
            "EHLO" => "250-mx.callout.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8",
            "HELO" => "250 mx.callout.test",
            "MAIL" => "250 2.1.0 Ok",
            "RCPT" => "250 2.1.5 Ok",
            "RSET" => "250 2.0.0 Ok",
            "QUIT" => "221 2.0.0 Bye",
            "DATA" => "354 End data with <CR><LF>.<CR><LF>",
            _ => "502 5.5.2 Error: command not recognized",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await acceptLoop;
        Task[] running;
        lock (sessions)
        {
            running = sessions.ToArray();
        }

        await Task.WhenAll(running);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            lock (sessions)
            {
                sessions.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        try
        {
            if (!await WriteAsync(stream, greeting))
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }

            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                lock (commands)
                {
                    commands.Add(line);
                }

                var reply = respond(line) ?? DefaultReply(line);
                if (!await WriteAsync(stream, reply))
                {
                    // Keep the connection open and say nothing more: the client must time out.
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }

                if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    private async Task<bool> WriteAsync(NetworkStream stream, string reply)
    {
        if (reply == Silence)
        {
            return false;
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), stop.Token);
        return true;
    }
}
