namespace Moat.Queue;

/// <summary>Exponential back-off between delivery attempts: First, First*Factor, ... capped at Maximum.</summary>
public sealed class RetryScheduleOptions
{
    public TimeSpan First { get; set; } = TimeSpan.FromMinutes(1);

    public double Factor { get; set; } = 2.0;

    public TimeSpan Maximum { get; set; } = TimeSpan.FromHours(1);
}
