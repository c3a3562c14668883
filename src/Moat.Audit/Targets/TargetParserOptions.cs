namespace Moat.Audit.Targets;

/// <summary>The command line's knobs for <see cref="TargetParser"/>.</summary>
public sealed record TargetParserOptions
{
    /// <summary>
    /// --max-addresses, or null for <see cref="AuditScope.DefaultMaxAddresses"/>. Only an explicit
    /// value lets a network larger than /16 (IPv4) or /112 (IPv6) in, and only if it fits.
    /// </summary>
    public int? MaxAddresses { get; init; }

    /// <summary>--ports: tried in addition to <see cref="AuditScope.DefaultPorts"/>.</summary>
    public IReadOnlyList<int> ExtraPorts { get; init; } = [];
}
