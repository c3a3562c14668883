namespace Moat.Web.Dashboard;

/// <summary>Messages in the queue by state.</summary>
/// <param name="OldestArrivedAt">When the oldest message not yet delivered (incoming, active, deferred or hold) arrived; null when there is none.</param>
/// <param name="OldestAgeSeconds">Its age at the snapshot's time.</param>
public sealed record QueueDepth(
    long Incoming,
    long Active,
    long Deferred,
    long Hold,
    long Corrupt,
    DateTimeOffset? OldestArrivedAt,
    double? OldestAgeSeconds)
{
    public long Total => Incoming + Active + Deferred + Hold + Corrupt;
}
