using System.Net.Sockets;
using System.Text;

namespace Moat.Audit.Tests.Probing.Support;

/// <summary>One connection to a <see cref="ScriptedServer"/>: write lines, read the client's lines.</summary>
internal sealed class ScriptedConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly ScriptedServer _server;

    public ScriptedConnection(Socket socket, ScriptedServer server)
    {
        _socket = socket;
        _server = server;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    public NetworkStream Stream => _stream;

    public async Task SendAsync(string text, CancellationToken ct) =>
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct);

    public Task SendLineAsync(string line, CancellationToken ct) => SendAsync(line + "\r\n", ct);

    /// <summary>The client's next line, or null when it closed.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = await _reader.ReadLineAsync(ct);
        if (line is not null)
        {
            _server.Record(line);
        }

        return line;
    }

    /// <summary>Answers each command with a reply chosen by <paramref name="answer"/> until QUIT or the client closes.</summary>
    public async Task ServeAsync(Func<string, string> answer, CancellationToken ct)
    {
        while (await ReadLineAsync(ct) is { } line)
        {
            if (line.Equals("QUIT", StringComparison.OrdinalIgnoreCase))
            {
                await SendLineAsync("221 2.0.0 Bye", ct);
                return;
            }

            await SendAsync(answer(line), ct);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
