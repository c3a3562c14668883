using Moat.Audit.Probing;
using Moat.Audit.Targets;

namespace Moat.Audit;

/// <summary>What one audit scans and how gently.</summary>
public sealed record AuditOptions
{
    /// <summary>The default rate: slow enough that no intrusion detection mistakes the audit for an attack on a small network.</summary>
    public const double DefaultRate = 50;

    public const int DefaultConcurrency = 32;

    /// <summary>Nothing outside it is touched (the MX hosts of its domains count as inside).</summary>
    public required AuditScope Scope { get; init; }

    /// <summary>Connection attempts started per second by the port scan.</summary>
    public double Rate { get; init; } = DefaultRate;

    /// <summary>Connections open at once: scan attempts, and listeners probed at once (each probe uses one connection at a time).</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Run the open-relay probes (MAIL FROM / RCPT TO, never DATA).</summary>
    public bool RelayProbes { get; init; } = true;

    /// <summary>
    /// The probe settings besides those the audit sets itself (domains, MX host names, relay
    /// probes); null for the defaults.
    /// </summary>
    public ProbeOptions? Probe { get; init; }

    /// <summary>The DNS servers used, in words, for the report ("127.0.0.1:5353", "system").</summary>
    public string DnsServers { get; init; } = "system";

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Scope);
        if (!double.IsFinite(Rate) || Rate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "the rate must be a positive number of connection attempts per second");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
    }
}
