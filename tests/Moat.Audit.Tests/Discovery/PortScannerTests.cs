using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Moat.Audit.Discovery;
using Moat.Testing;

namespace Moat.Audit.Tests.Discovery;

public sealed class PortScannerTests
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    [Fact]
    public async Task Listening_ports_are_open_and_the_others_refused()
    {
        using var first = Listen(Loopback);
        using var second = Listen(Loopback);
        var closed = FreePort.Get();
        var progress = new Recorder<PortScanProgress>();
        var scanner = new PortScanner(new PortScanOptions { AttemptsPerSecond = 200 });

        var result = await scanner.ScanAsync(
            [
                new ScanTarget(Loopback, Port(second), "mail.example.test"),
                new ScanTarget(Loopback, closed),
                new ScanTarget(Loopback, Port(first)),
            ],
            progress,
            CancellationToken.None);

        Assert.Equal(
            new[] { new ListenerEndpoint(Loopback, Port(first)), new ListenerEndpoint(Loopback, Port(second), "mail.example.test") }
                .OrderBy(e => e.Port),
            result.Open);
        Assert.Equal(3, result.Attempted);
        Assert.Equal(1, result.Refused);
        Assert.Equal(0, result.TimedOut);
        Assert.Equal(3, progress.Values.Count);
        Assert.Contains(new PortScanProgress(3, 3, 2), progress.Values);
    }

    [Fact]
    public async Task No_more_attempts_than_the_concurrency_bound_are_in_flight()
    {
        var inFlight = 0;
        var most = 0;
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 1000, MaxConcurrency = 3 },
            TimeProvider.System,
            async (_, _, cancel) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(50, cancel);
                Interlocked.Decrement(ref inFlight);
                return ConnectOutcome.Open;
            });

        var result = await scanner.ScanAsync(Targets(12), null, CancellationToken.None);

        Assert.Equal(12, result.Open.Count);
        Assert.Equal(3, most);
        Assert.Equal(0, inFlight);
    }

    [Fact]
    public async Task Attempts_are_spread_by_the_rate_limit()
    {
        var starts = new ConcurrentQueue<long>();
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 20, MaxConcurrency = 32 },
            TimeProvider.System,
            (_, _, _) =>
            {
                starts.Enqueue(TimeProvider.System.GetTimestamp());
                return Task.FromResult(ConnectOutcome.Refused);
            });

        var result = await scanner.ScanAsync(Targets(10), null, CancellationToken.None);

        // Ten attempts at 20/s: nine intervals of 50 ms. Only a lower bound is asserted;
        // a slow machine stretches it, it never shrinks.
        var ordered = starts.Order().ToList();
        Assert.Equal(10, result.Refused);
        Assert.True(TimeProvider.System.GetElapsedTime(ordered[0], ordered[^1]) >= TimeSpan.FromMilliseconds(440));
    }

    [Fact]
    public async Task Each_outcome_is_counted()
    {
        var outcomes = new Queue<ConnectOutcome>([ConnectOutcome.Open, ConnectOutcome.Refused, ConnectOutcome.TimedOut, ConnectOutcome.Unreachable, ConnectOutcome.TimedOut]);
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 1000, MaxConcurrency = 1 },
            TimeProvider.System,
            (_, _, _) => Task.FromResult(outcomes.Dequeue()));

        var result = await scanner.ScanAsync(Targets(5), null, CancellationToken.None);

        Assert.Equal((5, 1, 1, 2, 1), (result.Attempted, result.Open.Count, result.Refused, result.TimedOut, result.Unreachable));
    }

    [Fact]
    public async Task The_connect_timeout_is_passed_to_every_attempt()
    {
        var seen = new ConcurrentBag<TimeSpan>();
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 1000, ConnectTimeout = TimeSpan.FromMilliseconds(750) },
            TimeProvider.System,
            (_, timeout, _) =>
            {
                seen.Add(timeout);
                return Task.FromResult(ConnectOutcome.TimedOut);
            });

        var result = await scanner.ScanAsync(Targets(2), null, CancellationToken.None);

        Assert.Equal([TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(750)], seen);
        Assert.Equal(2, result.TimedOut);
    }

    [Fact]
    public async Task Cancelling_stops_the_scan_and_waits_for_attempts_in_flight()
    {
        var inFlight = 0;
        var attempts = 0;
        using var cancel = new CancellationTokenSource();
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 1000, MaxConcurrency = 4 },
            TimeProvider.System,
            async (_, _, token) =>
            {
                Interlocked.Increment(ref inFlight);
                try
                {
                    if (Interlocked.Increment(ref attempts) == 4)
                    {
                        await cancel.CancelAsync();
                    }

                    await Task.Delay(Timeout.Infinite, token);
                    return ConnectOutcome.Open;
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scanner.ScanAsync(Targets(100), null, cancel.Token));

        Assert.Equal(0, Volatile.Read(ref inFlight));
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task An_unexpected_error_in_an_attempt_is_not_lost()
    {
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = 1000 },
            TimeProvider.System,
            (_, _, _) => throw new InvalidOperationException("boom"));

        var error = await Assert.ThrowsAsync<AggregateException>(() => scanner.ScanAsync(Targets(2), null, CancellationToken.None));

        Assert.All(error.InnerExceptions, e => Assert.Equal("boom", e.Message));
    }

    [Fact]
    public void Options_that_would_stall_or_flood_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PortScanner(new PortScanOptions { AttemptsPerSecond = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PortScanner(new PortScanOptions { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PortScanner(new PortScanOptions { ConnectTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void The_defaults_are_gentle_and_say_so()
    {
        var options = new PortScanOptions();

        Assert.Equal((50d, 32, TimeSpan.FromSeconds(3)), (options.AttemptsPerSecond, options.MaxConcurrency, options.ConnectTimeout));
        Assert.Equal("at most 50 connection attempts per second, 32 at once, 3 s connect timeout", options.ToString());
    }

    private static List<ScanTarget> Targets(int count) =>
        Enumerable.Range(1, count).Select(i => new ScanTarget(IPAddress.Loopback, 10000 + i)).ToList();

    private static TcpListener Listen(IPAddress address, int port = 0)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
