namespace Moat.Web.Dashboard;

/// <summary>How long one antivirus engine took per object, over its most recent scans.</summary>
/// <param name="Recorded">Durations recorded since start (grows while <paramref name="Samples"/> stays at the window's size).</param>
/// <param name="Samples">Durations in the window the figures below are computed from.</param>
/// <param name="Buckets">Counts per <see cref="DurationWindow.BucketBounds"/> bucket; the last counts everything above the last bound.</param>
public sealed record EngineTimes(
    string Engine,
    long Recorded,
    int Samples,
    double P50Seconds,
    double P95Seconds,
    double MaxSeconds,
    IReadOnlyList<int> Buckets);
