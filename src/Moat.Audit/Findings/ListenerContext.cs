namespace Moat.Audit.Findings;

/// <summary>What the rules need to know about a listener beyond what it said itself.</summary>
public sealed record ListenerContext
{
    /// <summary>
    /// Whether an MX of an audited domain names this listener's address; null when no domain was
    /// audited, so nobody can tell which hosts are meant to receive mail.
    /// </summary>
    public bool? InMx { get; init; }

    /// <summary>The MX records of the audited domains, as evidence for a listener that is not among them.</summary>
    public IReadOnlyList<string> MxRecords { get; init; } = [];

    /// <summary>
    /// The MTA-STS mode of a domain whose MX names this listener: "enforce" or "testing" when the
    /// policy is known, "published" when only the DNS record was read, null without MTA-STS.
    /// With a policy, sending MTAs verify the certificate and its name.
    /// </summary>
    public string? MtaStsMode { get; init; }

    /// <summary>The names the prober asked VRFY/EXPN about on purpose; any other name it asked is its made-up one.</summary>
    public IReadOnlyList<string> ProbeUsers { get; init; } = ["postmaster", "root", "admin"];

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
