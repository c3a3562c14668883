namespace Moat.Pipeline.Filters.Sender;

public sealed class SenderFilterOptions
{
    /// <summary>
    /// Trusted clients may give a sender without a domain or with a single-label domain
    /// (<c>root</c>, <c>root@host</c>), as cron jobs and local daemons do. Untrusted clients never may.
    /// </summary>
    public bool AllowUnqualifiedFromTrusted { get; set; } = true;
}
