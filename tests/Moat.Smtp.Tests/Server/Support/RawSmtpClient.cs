using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>A byte-exact SMTP client for transcripts: sends what it is told, reads replies line by line.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    // Generous: only a hung server ever hits it, and then the test should fail rather than hang.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8192];
    private Stream _stream;
    private int _start;
    private int _end;

    private RawSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RawSmtpClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends the bytes one write at a time, one byte per write.</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await SendAsync(bytes[i..(i + 1)]);
        }
    }

    /// <summary>One line without its CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var crlf = span.IndexOf("\r\n"u8);
            if (crlf >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..crlf]);
                _start += crlf + 2;
                return line;
            }

            if (_start > 0)
            {
                span.CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
            }
            catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                read = 0;
            }

            if (read == 0)
            {
                return _end > _start ? throw new InvalidDataException("Connection closed inside a line.") : null;
            }

            _end += read;
        }
    }

    /// <summary>A whole reply, all its lines (a multi-line reply ends at the line with a space after the code).</summary>
    public async Task<IReadOnlyList<string>> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new InvalidDataException("Connection closed before a reply.");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return lines;
            }
        }
    }

    /// <summary>The first line of the next reply (for single-line replies).</summary>
    public async Task<string> ReadReplyLineAsync() => (await ReadReplyAsync())[^1];

    /// <summary>Every line until the server closes.</summary>
    public async Task<IReadOnlyList<string>> ReadToEndAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Whether the server has closed the connection (reads until end of stream).</summary>
    public async Task<bool> IsClosedAsync() => (await ReadToEndAsync()).Count == 0;

    public async Task StartTlsAsync()
    {
        if (_end != _start)
        {
            throw new InvalidOperationException("Unread plaintext before TLS.");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(TestServer.HostName);
        _stream = ssl;
    }

    public SslStream? Tls => _stream as SslStream;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Drops the connection with a reset, as a crashed client would.</summary>
    public void Abort() => _socket.Close(0);

    /// <summary>Says "no more from me" (FIN) while still reading.</summary>
    public void HalfClose() => _socket.Shutdown(SocketShutdown.Send);

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
