namespace Moat.Trust.Sources;

/// <summary>Settings of <see cref="SenderCallout"/>.</summary>
public sealed record SenderCalloutOptions
{
    /// <summary>
    /// Whether the gateway probes senders at all. Off by default: probing makes connections to
    /// third parties on behalf of whoever sends us mail. Read by the composition that decides to
    /// build the filter; <see cref="SenderCallout"/> itself probes whenever it is asked.
    /// </summary>
    public bool Enabled { get; init; }

    /// <summary>Our host name, sent in EHLO/HELO. Must be a name that resolves to us, or probes get refused.</summary>
    public required string HeloName { get; init; }

    /// <summary>
    /// The MAIL FROM of the probe without angle brackets; empty for the null sender &lt;&gt;, which
    /// every MTA must accept (RFC 5321 §4.5.5). A dedicated address helps when some MX refuse &lt;&gt;.
    /// </summary>
    public string ProbeSender { get; init; } = string.Empty;

    /// <summary>The port probed on the MX hosts: 25 in production; tests point it at a loopback server.</summary>
    public int Port { get; init; } = 25;

    /// <summary>
    /// Whether MX addresses that are not public (loopback, RFC 1918, link-local, ULA, CGNAT) may be
    /// probed. Off, because a sender's domain could otherwise point us at our own internal hosts.
    /// </summary>
    public bool AllowNonPublicAddresses { get; init; }

    /// <summary>How many (host, address) pairs are tried, in MX preference order, before giving up with TempFail.</summary>
    public int MaxConnectAttempts { get; init; } = 2;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait for each reply, the greeting included.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The whole probe, DNS and every attempt included: the client waits at RCPT while we probe,
    /// so the sum of per-step timeouts must not be what bounds it.
    /// </summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an Accepted answer is reused.</summary>
    public TimeSpan PositiveTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a Rejected answer is reused: shorter, so a mailbox that was just created starts working soon.</summary>
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a TempFail answer is reused (zero: not at all); short, so it only absorbs a burst.</summary>
    public TimeSpan TempFailTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cached answers kept; the least recently used goes first.</summary>
    public int MaxCacheEntries { get; init; } = 10_000;

    /// <summary>Probes started per sender domain per <see cref="ProbeWindow"/> (cached answers do not count); beyond, Skipped.</summary>
    public int MaxProbesPerDomain { get; init; } = 10;

    public TimeSpan ProbeWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Domains whose probe counts are tracked; when all are in use, new domains are Skipped rather than forgotten.</summary>
    public int MaxTrackedDomains { get; init; } = 10_000;
}
