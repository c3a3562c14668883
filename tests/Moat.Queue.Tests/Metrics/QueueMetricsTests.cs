using System.Diagnostics.Metrics;
using Moat.Queue.Delivery;
using Moat.Queue.Metrics;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Metrics;

public sealed class QueueMetricsTests
{
    [Fact]
    public async Task Gauges_count_messages_by_state_and_counters_record_results()
    {
        using var folder = new TempFolder();
        var spool = new MessageSpool(TestQueue.Options(folder));
        using var metrics = new QueueMetrics(spool);
        await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"), QueueState.Hold);

        var longs = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var doubles = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests create their own "Moat.Queue" meters; listen to ours only.
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            longs.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => doubles.Add((instrument.Name, value)));
        listener.Start();

        metrics.RecordAttempt(DeliveryOutcome.Deferred);
        metrics.RecordDsn();
        metrics.RecordDuration(TimeSpan.FromMilliseconds(1500));
        listener.RecordObservableInstruments();

        long Count(string state) => longs.Single(m => m.Name == "messages" && (string?)m.Tags["state"] == state).Value;
        Assert.Equal(2, Count("incoming"));
        Assert.Equal(1, Count("hold"));
        Assert.Equal(0, Count("deferred"));
        var attempt = longs.Single(m => m.Name == "delivery.attempts");
        Assert.Equal("deferred", attempt.Tags["result"]);
        Assert.Single(longs, m => m.Name == "delivery.dsn");
        Assert.Equal(1.5, doubles.Single(m => m.Name == "delivery.duration").Value);
        Assert.True(doubles.Single(m => m.Name == "oldest.age").Value >= 0);
    }
}
