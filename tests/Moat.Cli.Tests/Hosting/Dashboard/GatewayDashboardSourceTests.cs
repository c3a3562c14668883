using System.Text;
using Moat.Cli.Hosting;
using Moat.Cli.Hosting.Dashboard;
using Moat.Queue;
using Moat.Queue.Delivery;
using Moat.Queue.Metrics;
using Moat.Queue.Spool;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;
using Moat.Scanning.Scanning;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting.Dashboard;

[Collection(DashboardMeterCollection.Name)]
public sealed class GatewayDashboardSourceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 30, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(Start);
    private readonly MessageSpool spool;

    public GatewayDashboardSourceTests()
    {
        spool = new MessageSpool(new QueueOptions { Folder = folder.Combine("queue"), Hostname = "gw.test" }, timeProvider: clock);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TransactionsOfTheRealInstrumentAreCountedByVerdictAndQueuedOnesAsReceived()
    {
        using var metrics = new GatewayMetrics();
        using var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);

        metrics.Transaction("accept", TimeSpan.FromMilliseconds(20));
        metrics.Transaction("accept", TimeSpan.FromMilliseconds(20));
        metrics.Transaction("hold", TimeSpan.FromMilliseconds(20));
        metrics.Transaction("reject", TimeSpan.FromMilliseconds(20));
        metrics.Transaction("tempfail", TimeSpan.FromMilliseconds(20));

        var snapshot = source.GetSnapshot();
        Assert.Equal(3, snapshot.MessagesInLastMinute);
        Assert.Equal(3, snapshot.PerMinute[^1].In);
        Assert.Equal(0, snapshot.MessagesOutLastMinute);
        Assert.Equal(2, snapshot.Verdicts["accept"]);
        Assert.Equal(1, snapshot.Verdicts["hold"]);
        Assert.Equal(1, snapshot.Verdicts["reject"]);
        Assert.Equal(1, snapshot.Verdicts["tempfail"]);
        Assert.Equal(0, snapshot.Verdicts["discard"]);
        Assert.Equal(Start, snapshot.Since);

        // A minute later the messages have left "last minute" but stay in the chart and the totals.
        clock.Advance(TimeSpan.FromSeconds(61));
        var later = source.GetSnapshot();
        Assert.Equal(0, later.MessagesInLastMinute);
        Assert.Equal(3, later.PerMinute[^2].In);
        Assert.Equal(later.PerMinute[^1].Minute.AddMinutes(-1), later.PerMinute[^2].Minute);
        Assert.Equal(2, later.Verdicts["accept"]);
    }

    [Fact]
    public void SuccessfulDeliveriesOfTheRealInstrumentCountAsSent()
    {
        using var metrics = new QueueMetrics(spool, clock);
        using var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);

        metrics.RecordAttempt(DeliveryOutcome.Delivered);
        metrics.RecordAttempt(DeliveryOutcome.Delivered);
        metrics.RecordAttempt(DeliveryOutcome.Deferred);
        metrics.RecordAttempt(DeliveryOutcome.Failed);

        var snapshot = source.GetSnapshot();
        Assert.Equal(2, snapshot.MessagesOutLastMinute);
        Assert.Equal(2, snapshot.PerMinute[^1].Out);
        Assert.Equal(0, snapshot.MessagesInLastMinute);
    }

    [Fact]
    public void NothingIsCountedAfterDispose()
    {
        using var metrics = new GatewayMetrics();
        var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);
        metrics.Transaction("accept", TimeSpan.Zero);
        source.Dispose();

        metrics.Transaction("accept", TimeSpan.Zero);

        Assert.Equal(1, source.GetSnapshot().Verdicts["accept"]);
    }

    [Fact]
    public async Task QueueDepthIsCountedPerStateAtMostOnceASecond()
    {
        using var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);
        var oldest = await CommitAsync(QueueState.Incoming);
        clock.Advance(TimeSpan.FromMinutes(5));
        await CommitAsync(QueueState.Incoming);
        await CommitAsync(QueueState.Hold);
        var deferred = await CommitAsync(QueueState.Incoming);
        Assert.True(spool.TryMove(deferred, QueueState.Incoming, QueueState.Deferred));
        var corrupt = await CommitAsync(QueueState.Incoming);
        spool.MoveToCorrupt(corrupt, QueueState.Incoming, "test");
        clock.Advance(TimeSpan.FromMinutes(5));

        var queue = source.GetSnapshot().Queue;
        Assert.Equal(2, queue.Incoming);
        Assert.Equal(0, queue.Active);
        Assert.Equal(1, queue.Deferred);
        Assert.Equal(1, queue.Hold);
        Assert.Equal(1, queue.Corrupt);
        Assert.True(QueueId.TryGetTimestamp(oldest, out var arrived));
        Assert.Equal(arrived, queue.OldestArrivedAt);
        Assert.Equal(600, queue.OldestAgeSeconds);

        // Within the second the folders are not listed again, but the age still moves.
        await CommitAsync(QueueState.Incoming);
        clock.Advance(TimeSpan.FromMilliseconds(900));
        var cached = source.GetSnapshot().Queue;
        Assert.Equal(2, cached.Incoming);
        Assert.Equal(600.9, cached.OldestAgeSeconds!.Value, precision: 6);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, source.GetSnapshot().Queue.Incoming);
    }

    [Fact]
    public void AnEmptyQueueHasNoOldestMessage()
    {
        using var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);

        var queue = source.GetSnapshot().Queue;

        Assert.Equal(0, queue.Total);
        Assert.Null(queue.OldestArrivedAt);
        Assert.Null(queue.OldestAgeSeconds);
    }

    [Fact]
    public void TheSignatureSetsSizeAndAgeAreShown()
    {
        var engine = new SignatureEngine();
        var statistics = engine.Current.Statistics;
        var clockAtLoad = new ManualClock(statistics.LoadedAt.AddMinutes(90));
        using var source = new GatewayDashboardSource(spool, engine, activeScans: null, clockAtLoad);

        var signatures = source.GetSnapshot().Signatures;

        Assert.NotNull(signatures);
        Assert.Equal(1, signatures.Version);
        Assert.Equal(statistics.TotalSignatures, signatures.Signatures);
        Assert.True(signatures.Signatures > 0);
        Assert.Equal(statistics.Files, signatures.Files);
        Assert.Equal(5400, signatures.AgeSeconds);
        Assert.Null(signatures.LastReloadError);
        Assert.Null(new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock).GetSnapshot().Signatures);
    }

    [Fact]
    public async Task RunningScansAndEngineTimesComeFromTheScanner()
    {
        var registry = new ActiveScans(clock);
        var engine = new GatedEngine("dashboard-gated");
        var scanner = new MultiEngineScanner([engine], new ScanPolicy(), activeScans: registry);
        using var source = new GatewayDashboardSource(spool, signatures: null, registry, clock);
        var content = Encoding.ASCII.GetBytes(new string('x', 4096));
        var root = ScanRoots.FromStream("message 1", _ => ValueTask.FromResult<Stream>(new MemoryStream(content)), content.Length, isMessage: false);

        var scan = scanner.ScanAsync(root, CancellationToken.None);
        await engine.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(2));
        var running = source.GetSnapshot();
        engine.Release();
        await scan.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, running.ScanCount);
        var item = Assert.Single(running.Scans);
        Assert.Equal("message 1", item.Name);
        Assert.Equal(4096, item.TotalBytes);
        Assert.InRange(item.BytesDone, 10, 4096);
        Assert.Equal("message 1", item.CurrentObject);
        Assert.Equal(2, item.ElapsedSeconds);

        var after = source.GetSnapshot();
        Assert.Equal(0, after.ScanCount);
        Assert.Empty(after.Scans);
        var times = Assert.Single(after.Engines, e => e.Engine == "dashboard-gated");
        Assert.Equal(1, times.Samples);
        Assert.Equal(1, times.Recorded);
        Assert.True(times.P50Seconds > 0);
        Assert.Equal(times.P50Seconds, times.P95Seconds);
        Assert.Equal(1, times.Buckets.Sum());
    }

    [Fact]
    public async Task ManyViewersAtOnceGetConsistentSnapshots()
    {
        using var metrics = new GatewayMetrics();
        using var source = new GatewayDashboardSource(spool, signatures: null, activeScans: null, clock);
        await CommitAsync(QueueState.Incoming);

        var snapshots = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
        {
            metrics.Transaction("accept", TimeSpan.Zero);
            return source.GetSnapshot();
        })));

        Assert.All(snapshots, snapshot => Assert.Equal(1, snapshot.Queue.Incoming));
        Assert.Equal(32, source.GetSnapshot().MessagesInLastMinute);
    }

    private async Task<string> CommitAsync(QueueState target)
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync("From: <a@origin.test>\r\nSubject: test\r\n\r\nHello.\r\n"u8.ToArray());
        await writer.CommitAsync(
            new Envelope { Sender = "a@origin.test", Recipients = [new EnvelopeRecipient { Address = "b@dest.test" }] },
            target,
            CancellationToken.None);
        return writer.Id;
    }
}
