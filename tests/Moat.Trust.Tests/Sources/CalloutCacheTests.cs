using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class CalloutCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CalloutResult Result(string address) => new(CalloutOutcome.Accepted, address, "test");

    [Fact]
    public void Entries_expire_at_their_own_time()
    {
        var cache = new CalloutCache(10);
        cache.Set("a@x.test", Result("a@x.test"), Now.AddMinutes(5));
        cache.Set("b@x.test", Result("b@x.test"), Now.AddHours(1));

        Assert.True(cache.TryGet("A@X.TEST", Now.AddMinutes(4), out var hit));
        Assert.Equal("a@x.test", hit.Address);
        Assert.False(cache.TryGet("a@x.test", Now.AddMinutes(5), out _));
        Assert.True(cache.TryGet("b@x.test", Now.AddMinutes(5), out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void The_least_recently_used_entry_goes_first()
    {
        var cache = new CalloutCache(2);
        cache.Set("a", Result("a"), Now.AddHours(1));
        cache.Set("b", Result("b"), Now.AddHours(1));
        Assert.True(cache.TryGet("a", Now, out _));

        cache.Set("c", Result("c"), Now.AddHours(1));

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("a", Now, out _));
        Assert.False(cache.TryGet("b", Now, out _));
        Assert.True(cache.TryGet("c", Now, out _));
    }

    [Fact]
    public void Setting_an_existing_key_replaces_it()
    {
        var cache = new CalloutCache(2);
        cache.Set("a", Result("a"), Now.AddHours(1));
        cache.Set("a", new CalloutResult(CalloutOutcome.Rejected, "a", "test"), Now.AddHours(1));

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("a", Now, out var hit));
        Assert.Equal(CalloutOutcome.Rejected, hit.Outcome);
    }

    [Fact]
    public void Concurrent_use_keeps_the_bound()
    {
        var cache = new CalloutCache(100);
        Parallel.For(0, 10_000, i =>
        {
            cache.Set($"k{i % 500}", Result("x"), Now.AddHours(1));
            cache.TryGet($"k{(i * 7) % 500}", Now, out _);
        });

        Assert.Equal(100, cache.Count);
    }
}
