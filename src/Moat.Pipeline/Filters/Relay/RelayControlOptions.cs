namespace Moat.Pipeline.Filters.Relay;

/// <summary>Which domains we receive mail for and which clients may relay through us.</summary>
public sealed class RelayControlOptions
{
    public static IReadOnlyList<string> DefaultTrustedNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>Domains we accept mail for from anyone (IDNs in Unicode or punycode; case and a trailing dot do not matter).</summary>
    public List<string> AcceptedDomains { get; set; } = [];

    /// <summary>
    /// Networks (CIDR, or a single address) whose clients may relay to any domain. Null means
    /// <see cref="DefaultTrustedNetworks"/>. The default lives outside the list because the
    /// configuration binder appends to a pre-filled list, and an operator must be able to drop
    /// loopback (a local proxy would otherwise make every client trusted).
    /// </summary>
    public List<string>? TrustedNetworks { get; set; }

    public IReadOnlyList<string> EffectiveTrustedNetworks => TrustedNetworks ?? DefaultTrustedNetworks;
}
