using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Moat.Audit.Discovery;

/// <summary>
/// A TCP connect scan: a full handshake, then an immediate close, on each (address, port). It
/// is the least intrusive scan there is and needs no privileges. Attempts are limited in rate
/// (a token bucket) and in number at once (a semaphore), so the audit never floods a network or
/// trips the operator's own intrusion detection more than a port scan must.
/// </summary>
public sealed class PortScanner
{
    private readonly TimeProvider time;
    private readonly Func<IPEndPoint, TimeSpan, CancellationToken, Task<ConnectOutcome>> connect;

    public PortScanner(PortScanOptions? options = null, TimeProvider? timeProvider = null)
        : this(options ?? new PortScanOptions(), timeProvider ?? TimeProvider.System, ConnectAsync)
    {
    }

    /// <summary>With another way to connect, so tests can watch the limits without real sockets.</summary>
    internal PortScanner(PortScanOptions options, TimeProvider timeProvider, Func<IPEndPoint, TimeSpan, CancellationToken, Task<ConnectOutcome>> connect)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        time = timeProvider;
        this.connect = connect;
    }

    public PortScanOptions Options { get; }

    /// <summary>Tries every target once and returns the open ones. Cancellation stops new attempts and throws.</summary>
    public async Task<PortScanResult> ScanAsync(IReadOnlyCollection<ScanTarget> targets, IProgress<PortScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var total = targets.Count;
        var bucket = new TokenBucket(Options.AttemptsPerSecond, capacity: 1, time);
        using var slots = new SemaphoreSlim(Options.MaxConcurrency, Options.MaxConcurrency);
        var open = new ConcurrentBag<ListenerEndpoint>();
        var errors = new ConcurrentQueue<Exception>();
        int attempted = 0, refused = 0, timedOut = 0, unreachable = 0, openCount = 0;

        async Task AttemptAsync(ScanTarget target)
        {
            try
            {
                var outcome = await connect(new IPEndPoint(target.Address, target.Port), Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                switch (outcome)
                {
                    case ConnectOutcome.Open:
                        open.Add(new ListenerEndpoint(target.Address, target.Port, target.HostName));
                        Interlocked.Increment(ref openCount);
                        break;
                    case ConnectOutcome.Refused:
                        Interlocked.Increment(ref refused);
                        break;
                    case ConnectOutcome.TimedOut:
                        Interlocked.Increment(ref timedOut);
                        break;
                    default:
                        Interlocked.Increment(ref unreachable);
                        break;
                }

                var done = Interlocked.Increment(ref attempted);
                progress?.Report(new PortScanProgress(done, total, Volatile.Read(ref openCount)));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The scan is being stopped; ScanAsync throws once every attempt has let go.
            }
            catch (Exception ex)
            {
                // Attempts run unawaited; keep what went wrong so ScanAsync can throw it.
                errors.Enqueue(ex);
            }
            finally
            {
                slots.Release();
            }
        }

        try
        {
            foreach (var target in targets)
            {
                // A slot first, then a token: taking the token first and then waiting for a slot
                // would let tokens pile up and leave in a burst when slots free up.
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await bucket.TakeAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    slots.Release();
                    throw;
                }

                _ = AttemptAsync(target);
            }
        }
        finally
        {
            // Every attempt returns its slot when it ends, so holding all slots means all ended;
            // no socket outlives the scan, cancelled or not.
            for (var i = 0; i < Options.MaxConcurrency; i++)
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!errors.IsEmpty)
        {
            throw new AggregateException("connection attempts failed unexpectedly", errors);
        }

        var sorted = open.ToList();
        sorted.Sort(EndpointOrder.Instance);
        return new PortScanResult
        {
            Open = sorted,
            Attempted = attempted,
            Refused = refused,
            TimedOut = timedOut,
            Unreachable = unreachable,
        };
    }

    private static async Task<ConnectOutcome> ConnectAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            return ConnectOutcome.Open;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ConnectOutcome.TimedOut;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return ConnectOutcome.Refused;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return ConnectOutcome.TimedOut;
        }
        catch (SocketException)
        {
            // No route, host unreachable, an address family this machine lacks, a firewall's
            // local refusal: nothing can be said about the port.
            return ConnectOutcome.Unreachable;
        }
    }
}
