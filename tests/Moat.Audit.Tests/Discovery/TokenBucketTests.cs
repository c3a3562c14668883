using Moat.Audit.Discovery;

namespace Moat.Audit.Tests.Discovery;

public sealed class TokenBucketTests
{
    [Fact]
    public void The_first_permit_is_immediate_and_the_next_waits_one_interval()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(5, timeProvider: time);

        Assert.Equal(TimeSpan.Zero, bucket.TryTake());
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(TimeSpan.FromMilliseconds(50), bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.Zero, bucket.TryTake());
    }

    [Fact]
    public void Ten_permits_at_five_per_second_take_one_point_eight_seconds()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(5, timeProvider: time);
        var waited = TimeSpan.Zero;

        for (var taken = 0; taken < 10;)
        {
            var wait = bucket.TryTake();
            if (wait == TimeSpan.Zero)
            {
                taken++;
            }
            else
            {
                time.Advance(wait);
                waited += wait;
            }
        }

        Assert.Equal(TimeSpan.FromMilliseconds(1800), waited);
    }

    [Fact]
    public void An_idle_bucket_saves_no_more_than_its_capacity()
    {
        var time = new ManualTimeProvider();
        var single = new TokenBucket(50, timeProvider: time);
        var triple = new TokenBucket(50, capacity: 3, timeProvider: time);
        single.TryTake();
        triple.TryTake();

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, single.TryTake());
        Assert.NotEqual(TimeSpan.Zero, single.TryTake());
        Assert.Equal(TimeSpan.Zero, triple.TryTake());
        Assert.Equal(TimeSpan.Zero, triple.TryTake());
        Assert.Equal(TimeSpan.Zero, triple.TryTake());
        Assert.Equal(TimeSpan.FromMilliseconds(20), triple.TryTake());
    }

    [Fact]
    public async Task TakeAsync_waits_for_the_next_permit()
    {
        var bucket = new TokenBucket(20);
        await bucket.TakeAsync(CancellationToken.None);
        var started = TimeProvider.System.GetTimestamp();

        await bucket.TakeAsync(CancellationToken.None);

        // A lower bound only: a slow machine makes it longer, never shorter.
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(40));
    }

    [Fact]
    public async Task TakeAsync_stops_when_cancelled()
    {
        var bucket = new TokenBucket(0.001);
        await bucket.TakeAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bucket.TakeAsync(cancel.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void The_rate_must_be_positive(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(rate));
    }
}
