namespace Moat.Pipeline.Filters.Sender;

public sealed class SenderFilterOptions
{
    /// <summary>
    /// Trusted clients may give a sender without a domain or with a single-label domain
    /// (<c>root</c>, <c>root@host</c>), as cron jobs and local daemons do. Untrusted clients never may.
    /// </summary>
    public bool AllowUnqualifiedFromTrusted { get; set; } = true;

    /// <summary>
    /// Which senders an authenticated user may give. A stolen password must not let its holder
    /// send as the chief executive; only <see cref="SenderOwnership.Any"/> allows that.
    /// </summary>
    public SenderOwnership AuthenticatedSenders { get; set; } = SenderOwnership.Own;
}
