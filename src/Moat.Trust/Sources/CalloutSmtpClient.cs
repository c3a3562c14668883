using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Trust.Sources;

/// <summary>
/// The smallest SMTP client a callout needs: send one command line, read one (possibly multi-line)
/// reply, with a timeout on each. Replies are bounded in line length and line count so a hostile
/// server cannot make us buffer without end. It has no DATA: a probe never sends a message.
/// </summary>
internal sealed class CalloutSmtpClient : IAsyncDisposable
{
    /// <summary>RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers stay well below twice that.</summary>
    internal const int MaxLineLength = 2048;

    /// <summary>An EHLO reply lists a dozen keywords; a hundred lines is a misbehaving server.</summary>
    internal const int MaxReplyLines = 100;

    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly PipeReader reader;
    private readonly TimeSpan commandTimeout;
    private readonly TimeProvider time;

    private CalloutSmtpClient(Socket socket, TimeSpan commandTimeout, TimeProvider time)
    {
        this.socket = socket;
        this.commandTimeout = commandTimeout;
        this.time = time;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <exception cref="TimeoutException">The connection was not made within <paramref name="connectTimeout"/>.</exception>
    /// <exception cref="SocketException">Refused, unreachable.</exception>
    public static async Task<CalloutSmtpClient> ConnectAsync(
        IPEndPoint endPoint, TimeSpan connectTimeout, TimeSpan commandTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(connectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no connection to {endPoint} within {connectTimeout.TotalSeconds:0.###} s");
            }

            return new CalloutSmtpClient(socket, commandTimeout, time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command line (CRLF added) and reads its reply.</summary>
    public async Task<CalloutReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await SendAsync(command, cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            // The address is checked before it gets here; this keeps a bug from becoming command injection.
            throw new ArgumentException("a command line cannot contain CR or LF", nameof(command));
        }

        var bytes = Encoding.UTF8.GetBytes(command + "\r\n");
        using var timeout = new CancellationTokenSource(commandTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await stream.WriteAsync(bytes, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"could not send {Verb(command)} within {commandTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Reads one reply: lines "NNN-text" continued until "NNN text" (or "NNN").</summary>
    /// <exception cref="TimeoutException">The whole reply did not arrive within the command timeout.</exception>
    /// <exception cref="CalloutProtocolException">Malformed, over-long, or the connection closed.</exception>
    public Task<CalloutReply> ReadReplyAsync(CancellationToken cancellationToken) => ReadReplyAsync(commandTimeout, cancellationToken);

    public async Task<CalloutReply> ReadReplyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var lines = new List<string>();
        try
        {
            while (true)
            {
                var line = await ReadLineAsync(linked.Token).ConfigureAwait(false);
                if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]) ||
                    (line.Length > 3 && line[3] is not (' ' or '-')) || line[0] is < '2' or > '5')
                {
                    throw new CalloutProtocolException($"malformed reply line '{EvidenceText.Printable(line, 80)}'");
                }

                lines.Add(line);
                if (line.Length == 3 || line[3] == ' ')
                {
                    // The last line's code is the reply's code (RFC 5321 §4.2.1 says all lines share it).
                    return new CalloutReply(int.Parse(line.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture), lines);
                }

                if (lines.Count >= MaxReplyLines)
                {
                    throw new CalloutProtocolException($"reply longer than {MaxReplyLines} lines");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete reply within {limit.TotalSeconds:0.###} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await reader.CompleteAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        socket.Dispose();
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var lineBytes = buffer.Slice(0, end);
                if (lineBytes.Length > MaxLineLength)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new CalloutProtocolException($"reply line longer than {MaxLineLength} bytes");
                }

                // Replies end in CRLF; a bare LF is accepted because some servers send it and it
                // changes nothing for a probe.
                var text = Encoding.UTF8.GetString(lineBytes.ToArray()).TrimEnd('\r');
                reader.AdvanceTo(buffer.GetPosition(1, end));
                return text;
            }

            if (buffer.Length > MaxLineLength)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new CalloutProtocolException($"reply line longer than {MaxLineLength} bytes");
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new CalloutProtocolException("the server closed the connection");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static string Verb(string command)
    {
        var space = command.IndexOf(' ');
        return space < 0 ? command : command[..space];
    }
}
