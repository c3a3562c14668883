namespace Moat.Queue.Manager;

/// <summary>Computes the delay before the next attempt from the number of attempts made so far.</summary>
public sealed class RetrySchedule(RetryScheduleOptions options)
{
    /// <param name="attempts">Attempts already made (1 after the first failure).</param>
    public TimeSpan DelayAfter(int attempts)
    {
        var exponent = Math.Max(0, attempts - 1);
        var seconds = options.First.TotalSeconds * Math.Pow(Math.Max(1.0, options.Factor), exponent);
        var capped = Math.Min(seconds, options.Maximum.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Max(0, capped));
    }
}
