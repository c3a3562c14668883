using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Server;

/// <summary>
/// The byte side of one session: the socket, the (possibly TLS) stream, a bounded pipe reader
/// over it and a reply buffer that is flushed only when the client has nothing more queued,
/// so pipelined commands get their replies in one write (RFC 2920).
/// </summary>
internal sealed class SmtpConnection
{
    // Past this many queued reply bytes we write even if input is still queued, so a client
    // that pipelines without reading cannot make the reply buffer grow.
    private const int MaxQueuedOutput = 16 * 1024;

    private static readonly StreamPipeReaderOptions ReaderOptions =
        new(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true);

    private const int LingerBytes = 64 * 1024;

    private static readonly TimeSpan LingerTime = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly NetworkStream _networkStream;
    private readonly SmtpMetrics _metrics;
    private readonly TimeSpan _writeTimeout;
    private readonly ArrayBufferWriter<byte> _output = new(512);
    private Stream _stream;

    public SmtpConnection(Socket socket, SmtpMetrics metrics, TimeSpan writeTimeout)
    {
        _socket = socket;
        _networkStream = new NetworkStream(socket, ownsSocket: true);
        _stream = _networkStream;
        _metrics = metrics;
        _writeTimeout = writeTimeout;
        Reader = PipeReader.Create(_stream, ReaderOptions);
    }

    public PipeReader Reader { get; private set; }

    public SslStream? Tls => _stream as SslStream;

    /// <summary>Returns buffered input at once; only when none is left are replies flushed and the socket read.</summary>
    public async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        if (Reader.TryRead(out var buffered))
        {
            return buffered;
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives bytes back to the reader, counting the consumed ones as received.</summary>
    public void AdvanceTo(ReadOnlySequence<byte> buffer, SequencePosition consumed, SequencePosition examined)
    {
        _metrics.Received(buffer.Slice(0, consumed).Length);
        Reader.AdvanceTo(consumed, examined);
    }

    /// <summary>
    /// Whether the client has sent bytes we have not read: a pregreeter, or plaintext pipelined
    /// behind STARTTLS. Looks at both our buffer and the socket, and consumes nothing.
    /// </summary>
    public bool HasPendingInput()
    {
        if (Reader.TryRead(out var result))
        {
            var pending = !result.Buffer.IsEmpty;
            Reader.AdvanceTo(result.Buffer.Start);
            if (pending)
            {
                return true;
            }
        }

        return _socket.Available > 0;
    }

    public void Queue(SmtpReply reply)
    {
        SmtpReplyFormatter.Write(reply, _output);
        _metrics.Replied(reply.Code);
    }

    /// <summary>Queues a raw line (the first line of a multi-line greeting); CRLF is added.</summary>
    public void QueueRaw(string line)
    {
        Encoding.UTF8.GetBytes(line + "\r\n", _output);
    }

    public async ValueTask QueueAsync(SmtpReply reply, CancellationToken cancellationToken)
    {
        Queue(reply);
        if (_output.WrittenCount > MaxQueuedOutput)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        // A client that never reads would otherwise park this write forever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_writeTimeout);
        await _stream.WriteAsync(_output.WrittenMemory, timeout.Token).ConfigureAwait(false);
        await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        _output.ResetWrittenCount();
    }

    /// <summary>Runs the TLS handshake as server and switches reading and writing to TLS.</summary>
    public async Task UpgradeToTlsAsync(SslStreamCertificateContext certificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The plaintext reader is dropped with anything it buffered: nothing sent before the
        // handshake may be read as if it came over TLS (CVE-2011-0411).
        await Reader.CompleteAsync().ConfigureAwait(false);
        var ssl = new SslStream(_networkStream, leaveInnerStreamOpen: true);
        _stream = ssl;
        Reader = PipeReader.Create(ssl, ReaderOptions);
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(timeout);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        await ssl.AuthenticateAsServerAsync(options, handshakeTimeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends what is still queued, closes politely and releases everything; a cancelled token skips the politeness.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        await Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Replies to commands the client sent before hanging up are still its due.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: whatever broke the connection (reset, timeout, a TLS stream left
            // unusable by a cancelled write) also means there is no one left to tell.
        }

        await LingerAsync(cancellationToken).ConfigureAwait(false);
        if (_stream is SslStream ssl)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
        }

        await _networkStream.DisposeAsync().ConfigureAwait(false);
    }

    // Closing with unread input makes the kernel send RST, which can destroy our last reply
    // (a 421 or 554) before the client reads it. So: send FIN, then read and drop a little of
    // what the client still sends, bounded in bytes and time.
    private async Task LingerAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LingerTime);
            var total = 0;
            while (total < LingerBytes)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or slow to leave: either way we are done with it.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
