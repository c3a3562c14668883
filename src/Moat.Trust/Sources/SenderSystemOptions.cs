namespace Moat.Trust.Sources;

/// <summary>Settings of <see cref="SenderSystemCheck"/>.</summary>
public sealed record SenderSystemOptions
{
    /// <summary>Our own host names (the greeting name, other MX names): a client that HELOs with one is lying.</summary>
    public IReadOnlyList<string> LocalHostNames { get; init; } = [];

    /// <summary>Domains we receive mail for: no outside host belongs to them, so HELO names in them are forged.</summary>
    public IReadOnlyList<string> LocalDomains { get; init; } = [];

    /// <summary>
    /// PTR names looked at for forward confirmation. An attacker who controls a reverse zone can
    /// publish hundreds of PTRs to make us do hundreds of forward lookups; real hosts have one or two.
    /// </summary>
    public int MaxPtrNames { get; init; } = 10;

    /// <summary>Also look up whether the HELO name resolves to the client (a bonus signal; never decisive).</summary>
    public bool ResolveHeloName { get; init; } = true;
}
