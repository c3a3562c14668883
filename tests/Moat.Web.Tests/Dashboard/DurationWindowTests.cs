using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

public sealed class DurationWindowTests
{
    [Fact]
    public void PercentilesAreNearestRank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(50, DurationWindow.Percentile(sorted, 0.50));
        Assert.Equal(95, DurationWindow.Percentile(sorted, 0.95));
        Assert.Equal(100, DurationWindow.Percentile(sorted, 1));
        Assert.Equal(1, DurationWindow.Percentile(sorted, 0));
        Assert.Equal(7, DurationWindow.Percentile([7], 0.95));
        Assert.Equal(0, DurationWindow.Percentile([], 0.5));
        Assert.Equal(2, DurationWindow.Percentile([1, 2, 3], 0.5));
    }

    [Fact]
    public void TheWindowKeepsOnlyTheMostRecentDurations()
    {
        var window = new DurationWindow(capacity: 3);
        foreach (var seconds in new[] { 9.0, 8, 1, 2, 3 })
        {
            window.Record(seconds);
        }

        var times = window.Summarize("signatures");

        Assert.Equal("signatures", times.Engine);
        Assert.Equal(5, times.Recorded);
        Assert.Equal(3, times.Samples);
        Assert.Equal(2, times.P50Seconds);
        Assert.Equal(3, times.P95Seconds);
        Assert.Equal(3, times.MaxSeconds);
        Assert.Equal(3, times.Buckets.Sum());
    }

    [Fact]
    public void NonsenseDurationsAreNotRecorded()
    {
        var window = new DurationWindow();
        window.Record(double.NaN);
        window.Record(-1);
        window.Record(double.PositiveInfinity);

        var times = window.Summarize("clamd");

        Assert.Equal(0, times.Samples);
        Assert.Equal(0, times.P50Seconds);
        Assert.Equal(0, times.P95Seconds);
        Assert.All(times.Buckets, count => Assert.Equal(0, count));
    }

    [Fact]
    public void HistogramPutsAValueOnABoundInThatBoundsBucket()
    {
        var buckets = DurationWindow.Histogram([0, 0.001, 0.0011, 0.5, 30, 31, 1000]);

        Assert.Equal(DurationWindow.BucketBounds.Count + 1, buckets.Length);
        Assert.Equal(2, buckets[0]);
        Assert.Equal(1, buckets[1]);
        Assert.Equal(1, buckets[DurationWindow.BucketBounds.ToList().IndexOf(0.5)]);
        Assert.Equal(1, buckets[DurationWindow.BucketBounds.Count - 1]);
        Assert.Equal(2, buckets[^1]);
    }

    [Fact]
    public async Task RecordingFromManyThreadsLosesNothing()
    {
        var window = new DurationWindow(capacity: 500);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                window.Record(TimeSpan.FromMilliseconds(i));
            }
        })));

        var times = window.Summarize("heuristics");

        Assert.Equal(8000, times.Recorded);
        Assert.Equal(500, times.Samples);
    }
}
