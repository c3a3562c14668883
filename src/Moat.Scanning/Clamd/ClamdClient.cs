using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Scanning.Clamd;

/// <summary>
/// clamd's protocol with one host, one connection per exchange (clamd closes it after each
/// answer outside IDSESSION). Commands use the "z" form: NUL-terminated, answers NUL-terminated.
/// Trouble with the host — refused, timed out, closed early, nonsense — is a
/// <see cref="ClamdException"/>; cancelling the caller's token is an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ClamdClient
{
    /// <summary>Answers are a line or a few; anything longer is not clamd.</summary>
    private const int MaxReplyBytes = 64 * 1024;

    private readonly ClamdOptions options;

    public ClamdClient(ClamdEndpoint endpoint, ClamdOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        Endpoint = endpoint;
        this.options = options;
    }

    public ClamdEndpoint Endpoint { get; }

    /// <summary>PING: true when clamd answers PONG.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var lines = await CommandAsync("PING", cancellationToken);
        return lines is ["PONG"];
    }

    /// <summary>VERSION: "ClamAV 1.4.6/27000/…" (without the database part when it has no official one).</summary>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken)
    {
        var lines = await CommandAsync("VERSION", cancellationToken);
        return lines is [var version] && version.Length > 0
            ? version
            : throw new ClamdException($"{Endpoint}: unexpected VERSION reply '{string.Join(" | ", lines)}'");
    }

    /// <summary>
    /// INSTREAM: sends <paramref name="content"/> in length-prefixed chunks and returns clamd's verdict.
    /// When clamd answers before the end (its size limit, say) sending stops and that answer counts.
    /// </summary>
    public async Task<ClamdReply> ScanStreamAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return await ExchangeAsync(options.ScanTimeout, async (socket, token) =>
        {
            await SendAsync(socket, "INSTREAM", token);

            // Read while sending: clamd may answer and close early, and we must not keep sending into the void.
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(token);
            var reply = ReadLinesAsync(socket, stopReading.Token);
            try
            {
                await SendChunksAsync(socket, content, reply, token);
            }
            catch (SocketException)
            {
                // clamd closed the connection while we were sending; its reply, if it sent one, says why.
            }
            catch
            {
                // The object could not be read, or the time is up: clamd will not answer, stop listening.
                await stopReading.CancelAsync();
                await ObserveAsync(reply);
                throw;
            }

            return ClamdReply.Parse(await reply);
        }, cancellationToken);
    }

    private Task<IReadOnlyList<string>> CommandAsync(string command, CancellationToken cancellationToken) =>
        ExchangeAsync(options.CommandTimeout, async (socket, token) =>
        {
            await SendAsync(socket, command, token);
            return await ReadLinesAsync(socket, token);
        }, cancellationToken);

    /// <summary>Connects, runs one exchange within <paramref name="limit"/>, and turns socket trouble into <see cref="ClamdException"/>.</summary>
    private async Task<T> ExchangeAsync<T>(TimeSpan limit, Func<Socket, CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            return await exchange(socket, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClamdException($"{Endpoint}: no answer within {limit.TotalSeconds:0.###} s", isTimeout: true, ex);
        }
        catch (SocketException ex)
        {
            throw new ClamdException($"{Endpoint}: connection failed: {ex.Message}", innerException: ex);
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint target;
        if (Endpoint.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(path);
        }
        else if (IPAddress.TryParse(Endpoint.Host, out var address))
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            target = new IPEndPoint(address, Endpoint.Port);
        }
        else
        {
            // A host name may resolve to IPv4 or IPv6; a dual-mode socket takes either.
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            target = new DnsEndPoint(Endpoint.Host!, Endpoint.Port);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ClamdException($"{Endpoint}: no connection within {options.ConnectTimeout.TotalSeconds:0.###} s", isTimeout: true, ex);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ClamdException($"{Endpoint}: cannot connect: {ex.Message}", innerException: ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(Socket socket, string command, CancellationToken cancellationToken)
    {
        var bytes = Encoding.ASCII.GetBytes("z" + command + "\0");
        await SendAllAsync(socket, bytes, cancellationToken);
    }

    private async Task SendChunksAsync(Socket socket, Stream content, Task reply, CancellationToken cancellationToken)
    {
        // The 4-byte big-endian length and its data go out in one send: half as many packets.
        var buffer = ArrayPool<byte>.Shared.Rent(4 + options.ChunkSize);
        try
        {
            while (!reply.IsCompleted)
            {
                var read = await content.ReadAsync(buffer.AsMemory(4, options.ChunkSize), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                await SendAllAsync(socket, buffer.AsMemory(0, 4 + read), cancellationToken);
            }

            if (!reply.IsCompleted)
            {
                // A zero length ends the stream.
                BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
                await SendAllAsync(socket, buffer.AsMemory(0, 4), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>
    /// Reads until clamd closes the connection and splits the answer at its NUL terminators. A
    /// connection closed before a complete line (or in the middle of one) is an error, never "clean".
    /// </summary>
    private async Task<IReadOnlyList<string>> ReadLinesAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxReplyBytes)
                {
                    throw new ClamdException($"{Endpoint}: reply longer than {MaxReplyBytes} bytes");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, filled);
        if (filled == 0)
        {
            throw new ClamdException($"{Endpoint}: connection closed without a reply");
        }

        if (!text.EndsWith('\0'))
        {
            throw new ClamdException($"{Endpoint}: connection closed in the middle of the reply '{text.Replace('\0', '|')}'");
        }

        return text[..^1].Split('\0').Select(line => line.TrimEnd('\n', '\r')).ToArray();
    }

    /// <summary>Waits for a task whose outcome no longer matters, so its failure is not left unobserved.</summary>
    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Another failure is already on its way to the caller.
        }
    }
}
