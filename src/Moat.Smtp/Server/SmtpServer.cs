using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Server;

/// <summary>
/// Accepts connections on every configured listener and runs an <see cref="SmtpSession"/> for
/// each, all with the same handler factory: no listener has a policy of its own.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the server reports on, for exporters to listen to.</summary>
    public const string MeterName = SmtpMetrics.MeterName;

    private static readonly TimeSpan RefusalWriteTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AcceptErrorPause = TimeSpan.FromMilliseconds(50);

    private readonly SmtpServerOptions _options;
    private readonly ISmtpSessionHandlerFactory _factory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SmtpMetrics _metrics = new();
    private readonly ConnectionLimiter _limiter;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Socket> _listenSockets = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly List<IPEndPoint> _boundEndPoints = [];
    private long _nextConnection;
    private bool _started;
    private bool _stopped;

    public SmtpServer(SmtpServerOptions options, ISmtpSessionHandlerFactory factory, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _factory = factory;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SmtpServer>();
        if (options.Certificate is null && options.Listeners.FirstOrDefault(l => l.ImplicitTls) is { } tlsListener)
        {
            throw new ArgumentException($"Listener {tlsListener.Name} uses implicit TLS but no certificate is set.", nameof(options));
        }

        foreach (var listener in options.Listeners)
        {
            if (listener.AuthenticationMechanisms.FirstOrDefault(m => !SaslDecoder.SupportedMechanisms.Contains(m, StringComparer.OrdinalIgnoreCase)) is { } unsupported)
            {
                throw new ArgumentException($"Listener {listener.Name} offers AUTH {unsupported}, which is not supported.", nameof(options));
            }

            // Not an error: a test set-up may run without TLS. But it is never what anyone wants.
            if (listener.AuthenticationMechanisms.Count > 0 && options.Certificate is null)
            {
                _logger.LogWarning("Listener {Listener} has AUTH mechanisms but no certificate is set: AUTH is offered only over TLS, so never", listener.Name);
            }
        }

        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerClient, options.ConnectionLimitExemptions);
        if (options.Certificate is not null)
        {
            _certificate = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null, offline: true);
        }
    }

    /// <summary>Where each listener is bound, in the order of <see cref="SmtpServerOptions.Listeners"/>; set by <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _boundEndPoints;

    /// <summary>Binds every listener and starts accepting. A listener that cannot bind fails the start.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_started)
        {
            throw new InvalidOperationException("The server has already been started.");
        }

        _started = true;
        try
        {
            foreach (var listener in _options.Listeners)
            {
                var socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                _listenSockets.Add(socket);
                socket.Bind(listener.EndPoint);
                socket.Listen(512);
                _boundEndPoints.Add((IPEndPoint)socket.LocalEndPoint!);
                _logger.LogInformation("Listener {Listener} on {EndPoint}", listener.Name, socket.LocalEndPoint);
            }
        }
        catch
        {
            foreach (var socket in _listenSockets)
            {
                socket.Dispose();
            }

            throw;
        }

        for (var i = 0; i < _listenSockets.Count; i++)
        {
            _acceptLoops.Add(AcceptLoopAsync(_options.Listeners[i], _listenSockets[i]));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting and asks every session to end at its next command boundary with 421.
    /// When <paramref name="cancellationToken"/> fires first, the remaining sessions are dropped.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _listenSockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogInformation("Stop timed out; dropping {Count} sessions", _connections.Count);
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing without a graceful stop first is abrupt: every open session is dropped.
        await _abort.CancelAsync().ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
        _metrics.Dispose();
    }

    private async Task AcceptLoopAsync(SmtpListenerOptions listener, Socket listenSocket)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException
                                           || (ex is SocketException && _stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset while queued, or a passing shortage (out of file handles):
                // keep accepting, after a pause so a persistent error does not spin the CPU.
                _logger.LogWarning("Accept on {Listener} failed: {Error}", listener.Name, ex.SocketErrorCode);
                await Task.Delay(AcceptErrorPause).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            _metrics.Connected(listener.Name);
            var id = Interlocked.Increment(ref _nextConnection);
            var connection = Task.Run(() => HandleConnectionAsync(listener, client));
            _connections[id] = connection;
            _ = connection.ContinueWith(_ => _connections.TryRemove(id, out var _), TaskScheduler.Default);
        }
    }

    private async Task HandleConnectionAsync(SmtpListenerOptions listener, Socket client)
    {
        IPAddress address;
        try
        {
            address = ((IPEndPoint)client.RemoteEndPoint!).Address;
        }
        catch (SocketException)
        {
            client.Dispose();
            return;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (!_limiter.TryAcquire(address, out var refusal))
        {
            _metrics.Rejected(refusal!);
            _logger.LogInformation("Refused {Remote} on {Listener}: {Reason}", address, listener.Name, refusal);
            await RefuseAsync(client).ConfigureAwait(false);
            return;
        }

        var released = 0;
        void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                _limiter.Release(address);
            }
        }

        try
        {
            var logger = _loggerFactory.CreateLogger<SmtpSession>();
            var session = new SmtpSession(
                client, _options, listener, _factory, _certificate, _metrics, logger, _stopping.Token, _abort.Token);
            await session.RunAsync(Release).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Connection from {Remote} failed", address);
            client.Dispose();
        }
        finally
        {
            Release();
        }
    }

    // Over a connection limit: say why in one line and close, spending nothing else on it.
    private async Task RefuseAsync(Socket client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(RefusalWriteTimeout);
            var reply = SmtpReplyFormatter.Format(SmtpReplies.TooManyConnections);
            await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(reply), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            _metrics.Replied(SmtpReplies.TooManyConnections.Code);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left first; nothing to tell it.
        }
        finally
        {
            client.Dispose();
        }
    }
}
