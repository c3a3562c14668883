using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Moat.Audit.Probing;

/// <summary>
/// A small line-based SMTP client for probing: one command, one reply, in lock-step. Every read
/// is bounded (line length, lines per reply, time per reply) so that a hostile or broken listener
/// cannot hold the audit. It refuses to send DATA or BDAT: the audit never hands over a message.
/// </summary>
internal sealed class SmtpLineClient : IAsyncDisposable
{
    /// <summary>RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it a little, attackers a lot.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>EHLO and HELP replies run to a few dozen lines; more is a server stalling us.</summary>
    public const int MaxReplyLines = 100;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Socket _socket;
    private readonly RecordingStream _transport;
    private readonly ProbeTranscript _transcript;
    private readonly TimeSpan _replyTimeout;
    private readonly byte[] _buffer = new byte[MaxLineBytes * 2];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpLineClient(Socket socket, ProbeTranscript transcript, TimeSpan replyTimeout)
    {
        _socket = socket;
        _transport = new RecordingStream(new NetworkStream(socket, ownsSocket: false));
        _stream = _transport;
        _transcript = transcript;
        _replyTimeout = replyTimeout;
    }

    /// <summary>The raw connection under any TLS, for the legacy-TLS probe.</summary>
    public RecordingStream Transport => _transport;

    public bool IsTls => _stream is SslStream;

    internal bool NoDelay => _socket.NoDelay;

    public static async Task<SmtpLineClient> ConnectAsync(
        IPEndPoint endpoint, TimeSpan connectTimeout, TimeSpan replyTimeout, ProbeTranscript transcript, CancellationToken ct)
    {
        // Nagle would hold each short command back for the delayed ACK of the previous reply.
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ProbeAbortedException($"no TCP connection to {endpoint} within {Seconds(connectTimeout)}");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ProbeAbortedException($"TCP connection to {endpoint} failed: {ex.SocketErrorCode}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        socket.NoDelay = true;
        transcript.Note($"connected to {endpoint}");
        return new SmtpLineClient(socket, transcript, replyTimeout);
    }

    /// <summary>Sends one command line and reads its reply.</summary>
    public async Task<ProbeReply> CommandAsync(string command, CancellationToken ct)
    {
        await WriteLineAsync(command, ct).ConfigureAwait(false);
        return await ReadReplyAsync(ct).ConfigureAwait(false);
    }

    public async Task WriteLineAsync(string command, CancellationToken ct)
    {
        if (IsMessageTransfer(command))
        {
            throw new InvalidOperationException("the audit never sends DATA or BDAT: probes stop after RCPT TO");
        }

        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("a command is one line", nameof(command));
        }

        _transcript.Client(command);
        var bytes = Utf8.GetBytes(command + "\r\n");
        using var deadline = Deadline(ct);
        try
        {
            await _stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
            await _stream.FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProbeAbortedException($"could not send '{command}' within {Seconds(_replyTimeout)}");
        }
        catch (IOException ex)
        {
            throw new ProbeAbortedException($"connection lost while sending '{command}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads one reply, all its lines, within the reply timeout. A first line that is not
    /// "ddd", "ddd text" or "ddd-text" is returned alone with a null code: the listener is not SMTP.
    /// </summary>
    public async Task<ProbeReply> ReadReplyAsync(CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        var lines = new List<string>();
        int? code = null;
        try
        {
            while (true)
            {
                var line = await ReadLineAsync(deadline.Token).ConfigureAwait(false);
                if (line is null)
                {
                    throw new ProbeAbortedException(lines.Count == 0 ? "the server closed the connection" : "the server closed the connection in the middle of a reply");
                }

                _transcript.Server(line);
                lines.Add(line);
                if (!TryParseCode(line, out var lineCode, out var last))
                {
                    return new ProbeReply(code, lines);
                }

                code ??= lineCode;
                if (last)
                {
                    return new ProbeReply(code, lines);
                }

                if (lines.Count >= MaxReplyLines)
                {
                    throw new ProbeAbortedException($"reply longer than {MaxReplyLines} lines");
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProbeAbortedException(lines.Count == 0 ? $"no reply within {Seconds(_replyTimeout)}" : $"reply not finished within {Seconds(_replyTimeout)}");
        }
        catch (IOException ex)
        {
            throw new ProbeAbortedException($"connection lost while reading a reply: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Starts TLS on the connection (after "220" to STARTTLS, or at once for implicit TLS). Bytes
    /// the server sent ahead of the handshake are dropped: they would be plaintext injected into
    /// the TLS session (CVE-2011-0411 and kin).
    /// </summary>
    public async Task<SslStream> StartTlsAsync(SslClientAuthenticationOptions options, CancellationToken ct)
    {
        if (_start != _end)
        {
            _transcript.Note($"the server sent {_end - _start} bytes before the TLS handshake; ignored");
            _start = _end = 0;
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        using var deadline = Deadline(ct);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new ProbeAbortedException($"TLS handshake not finished within {Seconds(_replyTimeout)}");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = ssl;
        return ssl;
    }

    /// <summary>
    /// Writes <paramref name="request"/> as it is on the plain connection and reads until
    /// <paramref name="enough"/> says so, the server closes, 4 KiB arrived or the reply timeout
    /// passes. For the raw ClientHello of the legacy-TLS probe.
    /// </summary>
    public async Task<(byte[] Response, bool Closed)> ExchangeRawAsync(ReadOnlyMemory<byte> request, Func<byte[], bool> enough, CancellationToken ct)
    {
        var received = new List<byte>(_buffer.AsSpan(_start, _end - _start).ToArray());
        _start = _end = 0;
        using var deadline = Deadline(ct);
        try
        {
            await _stream.WriteAsync(request, deadline.Token).ConfigureAwait(false);
            await _stream.FlushAsync(deadline.Token).ConfigureAwait(false);
            var chunk = new byte[1024];
            while (!enough(received.ToArray()) && received.Count < 4096)
            {
                var read = await _stream.ReadAsync(chunk, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return (received.ToArray(), true);
                }

                received.AddRange(chunk.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Silence is an answer too; the caller decides what it means.
        }
        catch (IOException)
        {
            return (received.ToArray(), true);
        }

        return (received.ToArray(), false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_stream is SslStream ssl)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }

            await _transport.DisposeAsync().ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The server may already have gone; closing is all that is left to do.
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>DATA and BDAT hand over a message; nothing else the client could send does.</summary>
    public static bool IsMessageTransfer(string command)
    {
        var verb = command.TrimStart();
        var space = verb.IndexOf(' ');
        verb = space < 0 ? verb : verb[..space];
        return verb.Equals("DATA", StringComparison.OrdinalIgnoreCase) || verb.Equals("BDAT", StringComparison.OrdinalIgnoreCase);
    }

    internal static bool TryParseCode(string line, out int code, out bool last)
    {
        code = 0;
        last = true;
        if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]))
        {
            return false;
        }

        if (line.Length > 3 && line[3] != ' ' && line[3] != '-')
        {
            return false;
        }

        code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        last = line.Length == 3 || line[3] == ' ';
        return true;
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.###} s";

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_replyTimeout);
        return deadline;
    }

    /// <summary>The next line without its CRLF (a bare LF ends a line too), or null at the end of the stream.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = Utf8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLineBytes)
            {
                throw new ProbeAbortedException($"reply line longer than {MaxLineBytes} bytes");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start)
                {
                    return null;
                }

                // A last line without its line ending still counts: it is what the server said.
                var tail = Utf8.GetString(_buffer, _start, _end - _start);
                _start = _end = 0;
                return tail;
            }

            _end += read;
        }
    }
}
