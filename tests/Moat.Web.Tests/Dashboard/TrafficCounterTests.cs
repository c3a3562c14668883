using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

public sealed class TrafficCounterTests
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LastMinuteIsTheTrailingSixtySecondsNotTheClockMinute()
    {
        var counter = new TrafficCounter();
        counter.Add(Noon.AddSeconds(-30));
        counter.Add(Noon.AddSeconds(-61));
        counter.Add(Noon, 2);

        // Across the minute boundary the message 30 s ago still counts; the one 61 s ago does not.
        Assert.Equal(3, counter.LastMinute(Noon));
        Assert.Equal(3, counter.LastMinute(Noon.AddSeconds(29)));
        Assert.Equal(2, counter.LastMinute(Noon.AddSeconds(31)));
        Assert.Equal(0, counter.LastMinute(Noon.AddSeconds(60)));
    }

    [Fact]
    public void PerMinuteListsTheLastHourOldestFirstWithTheCurrentMinuteLast()
    {
        var counter = new TrafficCounter();
        counter.Add(Noon.AddSeconds(10), 4);
        counter.Add(Noon.AddMinutes(-1).AddSeconds(59));
        counter.Add(Noon.AddMinutes(-59));
        counter.Add(Noon.AddMinutes(-60));

        var minutes = counter.PerMinute(Noon.AddSeconds(20));

        Assert.Equal(TrafficCounter.Minutes, minutes.Length);
        Assert.Equal(4, minutes[^1]);
        Assert.Equal(1, minutes[^2]);
        Assert.Equal(1, minutes[0]);
        Assert.Equal(6, minutes.Sum());
    }

    [Fact]
    public void ASlotIsResetWhenItsTimeComesRoundAgain()
    {
        var counter = new TrafficCounter();
        counter.Add(Noon, 5);
        counter.Add(Noon.AddHours(1));

        Assert.Equal(1, counter.PerMinute(Noon.AddHours(1))[^1]);
        Assert.Equal(1, counter.LastMinute(Noon.AddHours(1)));
        Assert.Equal(1, counter.PerMinute(Noon.AddHours(1)).Sum());
    }

    [Fact]
    public void AnEventOlderThanItsSlotIsIgnoredRatherThanWipingNewerCounts()
    {
        var counter = new TrafficCounter();
        counter.Add(Noon, 3);
        counter.Add(Noon.AddHours(-1));

        Assert.Equal(3, counter.PerMinute(Noon)[^1]);
        Assert.Equal(3, counter.LastMinute(Noon));
    }

    [Fact]
    public void NothingLongAgoShows()
    {
        var counter = new TrafficCounter();
        counter.Add(Noon, 7);

        Assert.Equal(0, counter.LastMinute(Noon.AddDays(1)));
        Assert.All(counter.PerMinute(Noon.AddDays(1)), count => Assert.Equal(0, count));
    }

    [Fact]
    public void MinuteStartRoundsDownAlsoBeforeTheEpoch()
    {
        Assert.Equal(Noon, TrafficCounter.MinuteStart(Noon.AddSeconds(59.9)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(-60), TrafficCounter.MinuteStart(DateTimeOffset.FromUnixTimeSeconds(-1)));
    }

    [Fact]
    public async Task CountsFromManyThreadsAddUp()
    {
        var counter = new TrafficCounter();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(Noon.AddMilliseconds(i % 1000));
            }
        })));

        Assert.Equal(80_000, counter.LastMinute(Noon.AddSeconds(1)));
        Assert.Equal(80_000, counter.PerMinute(Noon)[^1]);
    }
}
