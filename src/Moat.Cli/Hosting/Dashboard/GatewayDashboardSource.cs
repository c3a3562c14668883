using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Moat.Queue.Metrics;
using Moat.Queue.Spool;
using Moat.Scanning.Engines;
using Moat.Scanning.Scanning;
using Moat.Web.Dashboard;

namespace Moat.Cli.Hosting.Dashboard;

/// <summary>
/// Gathers the dashboard's figures from the running gateway. Message and scan counts come from
/// the instruments the gateway already has ("Moat.Gateway" transactions, "Moat.Queue" delivery
/// attempts, "Moat.Scanning" engine durations), heard through a <see cref="MeterListener"/>, so
/// no code on the mail path knows about the dashboard. The queue is counted from the spool's
/// folders, at most once a second however many browsers watch. Everything kept is bounded.
/// Create it before the gateway takes mail: it counts from its creation on.
/// </summary>
internal sealed class GatewayDashboardSource : IDashboardSource, IDisposable
{
    /// <summary>The instruments listened to; their names are defined in GatewayMetrics, QueueMetrics and ScanMetrics.</summary>
    internal const string TransactionsInstrument = "transactions";

    internal const string DeliveryAttemptsInstrument = "delivery.attempts";

    internal const string EngineDurationInstrument = "engine.duration";

    /// <summary>How many of the running scans a snapshot lists (oldest first); the count covers all.</summary>
    internal const int MaxScansListed = 50;

    /// <summary>How long one count of the spool folders serves.</summary>
    internal static readonly TimeSpan QueueCacheTime = TimeSpan.FromSeconds(1);

    // Tag values are bounded by the code that records them; these caps only keep a bug there from growing memory here.
    private const int MaxVerdicts = 32;
    private const int MaxEngines = 16;
    private const string OtherTag = "other";

    /// <summary>Verdicts under which the message was written to the queue: those are "received".</summary>
    private static readonly FrozenSet<string> QueuedVerdicts = FrozenSet.Create(StringComparer.Ordinal, "accept", "hold", "quarantine");

    private static readonly QueueState[] Waiting = [QueueState.Incoming, QueueState.Active, QueueState.Deferred, QueueState.Hold];

    private readonly MessageSpool spool;
    private readonly SignatureEngine? signatures;
    private readonly ActiveScans? activeScans;
    private readonly TimeProvider time;
    private readonly DateTimeOffset since;
    private readonly TrafficCounter received = new();
    private readonly TrafficCounter sent = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> verdicts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DurationWindow> engines = new(StringComparer.Ordinal);
    private readonly MeterListener listener;
    private readonly Lock queueGate = new();
    private QueueDepth? queueDepth;
    private DateTimeOffset queueCountedAt;

    /// <summary>For <c>moat serve</c>: the gateway's queue, and the signature set and running scans of its antivirus.</summary>
    public GatewayDashboardSource(MessageSpool spool, AntivirusComponents antivirus, TimeProvider? timeProvider = null)
        : this(spool, antivirus?.Signatures, antivirus?.ActiveScans, timeProvider)
    {
    }

    /// <param name="spool">The queue whose folders are counted.</param>
    /// <param name="signatures">The signature engine whose set is shown; null when there is none.</param>
    /// <param name="activeScans">The registry every scanner of the gateway reports running scans to; null shows none.</param>
    /// <param name="timeProvider">The clock for "last minute" and ages; the system clock when null.</param>
    public GatewayDashboardSource(MessageSpool spool, SignatureEngine? signatures, ActiveScans? activeScans, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        this.spool = spool;
        this.signatures = signatures;
        this.activeScans = activeScans;
        time = timeProvider ?? TimeProvider.System;
        since = time.GetUtcNow();
        foreach (var verdict in VerdictNames.Known)
        {
            verdicts[verdict] = new StrongBox<long>();
        }

        listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (IsWanted(instrument))
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(OnMeasurement);
        listener.SetMeasurementEventCallback<double>(OnMeasurement);
        listener.Start();
    }

    public DashboardSnapshot GetSnapshot()
    {
        var now = time.GetUtcNow();
        var inbound = received.PerMinute(now);
        var outbound = sent.PerMinute(now);
        var firstMinute = TrafficCounter.MinuteStart(now).AddMinutes(1 - TrafficCounter.Minutes);
        var perMinute = new MinuteTraffic[TrafficCounter.Minutes];
        for (var i = 0; i < perMinute.Length; i++)
        {
            perMinute[i] = new MinuteTraffic(firstMinute.AddMinutes(i), inbound[i], outbound[i]);
        }

        var running = activeScans?.List() ?? [];
        return new DashboardSnapshot(
            now,
            since,
            received.LastMinute(now),
            sent.LastMinute(now),
            perMinute,
            verdicts.ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Value), StringComparer.Ordinal),
            Queue(now),
            Signatures(now),
            running.Count,
            running.Take(MaxScansListed).Select(scan => Scan(scan, now)).ToArray(),
            engines.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value.Summarize(pair.Key)).ToArray());
    }

    public void Dispose() => listener.Dispose();

    private static bool IsWanted(Instrument instrument) => (instrument.Meter.Name, instrument.Name) switch
    {
        (GatewayMetrics.MeterName, TransactionsInstrument) => true,
        (QueueMetrics.MeterName, DeliveryAttemptsInstrument) => true,
        (MultiEngineScanner.MeterName, EngineDurationInstrument) => true,
        _ => false,
    };

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private static ScanInProgress Scan(ActiveScan scan, DateTimeOffset now) => new(
        scan.Id,
        scan.Name,
        scan.BytesDone,
        scan.TotalBytes,
        scan.CurrentObject,
        scan.ObjectsScanned,
        Math.Max(0, (now - scan.StartedAt).TotalSeconds));

    // Called on the thread that recorded the measurement (an SMTP session, a delivery, a scan): keep it short.
    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case TransactionsInstrument:
                var verdict = Tag(tags, "verdict") ?? OtherTag;
                var box = verdicts.Count < MaxVerdicts || verdicts.ContainsKey(verdict)
                    ? verdicts.GetOrAdd(verdict, _ => new StrongBox<long>())
                    : verdicts.GetOrAdd(OtherTag, _ => new StrongBox<long>());
                Interlocked.Add(ref box.Value, value);
                if (QueuedVerdicts.Contains(verdict))
                {
                    received.Add(time.GetUtcNow(), value);
                }

                break;

            case DeliveryAttemptsInstrument when Tag(tags, "result") == "delivered":
                sent.Add(time.GetUtcNow(), value);
                break;
        }
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != EngineDurationInstrument)
        {
            return;
        }

        var engine = Tag(tags, "engine") ?? OtherTag;
        var window = engines.Count < MaxEngines || engines.ContainsKey(engine)
            ? engines.GetOrAdd(engine, _ => new DurationWindow())
            : engines.GetOrAdd(OtherTag, _ => new DurationWindow());
        window.Record(value);
    }

    private QueueDepth Queue(DateTimeOffset now)
    {
        QueueDepth depth;
        lock (queueGate)
        {
            // Viewers that ask meanwhile wait here and take this count rather than listing the folders again.
            if (queueDepth is null || now - queueCountedAt >= QueueCacheTime || now < queueCountedAt)
            {
                queueDepth = CountQueue();
                queueCountedAt = now;
            }

            depth = queueDepth;
        }

        return depth.OldestArrivedAt is { } oldest
            ? depth with { OldestAgeSeconds = Math.Max(0, (now - oldest).TotalSeconds) }
            : depth;
    }

    private QueueDepth CountQueue()
    {
        var counts = new Dictionary<QueueState, long>();
        string? oldest = null;
        foreach (var state in MessageSpool.AllStates)
        {
            IReadOnlyList<string> ids;
            try
            {
                ids = spool.ListIds(state);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A folder removed or unreadable for a moment: count it as empty rather than break the page.
                ids = [];
            }

            counts[state] = ids.Count;

            // Ids sort by arrival time, so each folder's first id is its oldest message.
            if (Waiting.Contains(state) && ids.Count > 0 && (oldest is null || string.CompareOrdinal(ids[0], oldest) < 0))
            {
                oldest = ids[0];
            }
        }

        DateTimeOffset? arrived = oldest is not null && QueueId.TryGetTimestamp(oldest, out var timestamp) ? timestamp : null;
        return new QueueDepth(
            counts[QueueState.Incoming],
            counts[QueueState.Active],
            counts[QueueState.Deferred],
            counts[QueueState.Hold],
            counts[QueueState.Corrupt],
            arrived,
            null);
    }

    private SignatureSummary? Signatures(DateTimeOffset now)
    {
        if (signatures is null)
        {
            return null;
        }

        var status = signatures.Status;
        var statistics = status.Statistics;
        return new SignatureSummary(
            status.Version,
            statistics.TotalSignatures,
            statistics.Files,
            statistics.LoadedAt,
            Math.Max(0, (now - statistics.LoadedAt).TotalSeconds),
            signatures.LastReloadError);
    }
}
