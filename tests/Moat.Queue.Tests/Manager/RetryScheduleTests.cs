using Moat.Queue.Manager;

namespace Moat.Queue.Tests.Manager;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Delays_double_from_the_first_and_stop_at_the_maximum()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions { First = TimeSpan.FromMinutes(1), Factor = 2, Maximum = TimeSpan.FromHours(1) });

        Assert.Equal(TimeSpan.FromMinutes(1), schedule.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(2), schedule.DelayAfter(2));
        Assert.Equal(TimeSpan.FromMinutes(4), schedule.DelayAfter(3));
        Assert.Equal(TimeSpan.FromMinutes(32), schedule.DelayAfter(6));
        Assert.Equal(TimeSpan.FromHours(1), schedule.DelayAfter(7));
        Assert.Equal(TimeSpan.FromHours(1), schedule.DelayAfter(500));
    }

    [Fact]
    public void Defaults_are_one_minute_doubling_capped_at_an_hour()
    {
        var options = new QueueOptions();
        Assert.Equal(TimeSpan.FromMinutes(1), options.Retry.First);
        Assert.Equal(2.0, options.Retry.Factor);
        Assert.Equal(TimeSpan.FromHours(1), options.Retry.Maximum);
        Assert.Equal(TimeSpan.FromDays(5), options.MaximalLifetime);
    }
}
