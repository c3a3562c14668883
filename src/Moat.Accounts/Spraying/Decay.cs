namespace Moat.Accounts.Spraying;

internal static class Decay
{
    /// <summary>What remains of a value after <paramref name="elapsed"/> under exponential decay.</summary>
    public static double Factor(TimeSpan elapsed, TimeSpan halfLife) =>
        elapsed <= TimeSpan.Zero ? 1 : Math.Pow(0.5, elapsed / halfLife);
}
