using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class CalloutRateLimiterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_slides()
    {
        var limiter = new CalloutRateLimiter(2, TimeSpan.FromHours(1), 100);

        Assert.True(limiter.TryAcquire("x.test", Now));
        Assert.True(limiter.TryAcquire("X.TEST", Now.AddMinutes(30)));
        Assert.False(limiter.TryAcquire("x.test", Now.AddMinutes(59)));
        Assert.True(limiter.TryAcquire("x.test", Now.AddMinutes(60)));
        Assert.False(limiter.TryAcquire("x.test", Now.AddMinutes(89)));
        Assert.True(limiter.TryAcquire("x.test", Now.AddMinutes(90)));
    }

    [Fact]
    public void A_full_table_refuses_new_domains_until_old_ones_expire()
    {
        var limiter = new CalloutRateLimiter(5, TimeSpan.FromHours(1), 2);
        Assert.True(limiter.TryAcquire("a.test", Now));
        Assert.True(limiter.TryAcquire("b.test", Now));

        Assert.False(limiter.TryAcquire("c.test", Now.AddMinutes(10)));
        Assert.True(limiter.TryAcquire("a.test", Now.AddMinutes(10)));
        Assert.True(limiter.TryAcquire("c.test", Now.AddMinutes(61)));
    }
}
