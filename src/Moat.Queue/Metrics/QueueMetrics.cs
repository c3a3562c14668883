using System.Diagnostics.Metrics;
using Moat.Queue.Delivery;
using Moat.Queue.Spool;

namespace Moat.Queue.Metrics;

/// <summary>
/// The queue's instruments on the "Moat.Queue" meter. The gauges are computed from the spool
/// folders when a collector asks, so they also see messages of other processes.
/// </summary>
public sealed class QueueMetrics : IDisposable
{
    public const string MeterName = "Moat.Queue";

    private readonly Meter meter;
    private readonly Counter<long> attempts;
    private readonly Counter<long> dsns;
    private readonly Histogram<double> duration;

    public QueueMetrics(MessageSpool spool, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        var time = timeProvider ?? TimeProvider.System;
        meter = new Meter(MeterName);
        meter.CreateObservableGauge("messages", () => CountByState(spool), unit: "{message}", description: "Messages in the queue by state");
        meter.CreateObservableGauge("oldest.age", () => OldestAge(spool, time), unit: "s", description: "Age of the oldest message not yet delivered");
        attempts = meter.CreateCounter<long>("delivery.attempts", unit: "{recipient}", description: "Delivery attempts per recipient by result");
        dsns = meter.CreateCounter<long>("delivery.dsn", unit: "{message}", description: "Delivery status notifications generated");
        duration = meter.CreateHistogram<double>("delivery.duration", unit: "s", description: "Duration of one delivery to one destination");
    }

    public void RecordAttempt(DeliveryOutcome outcome) =>
        attempts.Add(1, new KeyValuePair<string, object?>("result", outcome.ToString().ToLowerInvariant()));

    public void RecordDsn() => dsns.Add(1);

    public void RecordDuration(TimeSpan elapsed) => duration.Record(elapsed.TotalSeconds);

    /// <summary>The meter itself, for listeners that want this instance only.</summary>
    internal Meter Meter => meter;

    public void Dispose() => meter.Dispose();

    private static IEnumerable<Measurement<long>> CountByState(MessageSpool spool)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var state in MessageSpool.AllStates)
        {
            long count;
            try
            {
                count = spool.ListIds(state).Count;
            }
            catch (IOException)
            {
                continue;
            }

            measurements.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant())));
        }

        return measurements;
    }

    private static double OldestAge(MessageSpool spool, TimeProvider time)
    {
        // Ids sort by arrival time, so the oldest is the smallest id of each folder.
        string? oldest = null;
        foreach (var state in new[] { QueueState.Incoming, QueueState.Active, QueueState.Deferred, QueueState.Hold })
        {
            try
            {
                var first = spool.ListIds(state).FirstOrDefault();
                if (first is not null && (oldest is null || string.CompareOrdinal(first, oldest) < 0))
                {
                    oldest = first;
                }
            }
            catch (IOException)
            {
            }
        }

        return oldest is not null && QueueId.TryGetTimestamp(oldest, out var since)
            ? Math.Max(0, (time.GetUtcNow() - since).TotalSeconds)
            : 0;
    }
}
