using System.Net;
using System.Numerics;

namespace Moat.Audit.Targets;

/// <summary>
/// What one audit may touch: the operator's domains, host names, addresses and networks, and
/// the ports to try on each address. Nothing outside it is scanned (the MX hosts of the listed
/// domains count as inside). Build it with <see cref="TargetParser"/>, which checks the bounds.
/// </summary>
public sealed record AuditScope
{
    /// <summary>SMTP (25), submissions (465), submission (587) and the common alternative port 2525.</summary>
    public static IReadOnlyList<int> DefaultPorts { get; } = [25, 465, 587, 2525];

    /// <summary>At most this many addresses unless the operator raises it (--max-addresses).</summary>
    public const int DefaultMaxAddresses = 4096;

    /// <summary>The ceiling of --max-addresses: a /12 of IPv4, far beyond anyone's own mail hosts.</summary>
    public const int MaxAddressesCeiling = 1 << 20;

    /// <summary>Mail domains whose MX, SPF, DMARC, MTA-STS and TLS-RPT records are read and whose MX hosts are scanned.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Host names to resolve and scan.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    public IReadOnlyList<CidrNetwork> Networks { get; init; } = [];

    /// <summary>The ports every address is tried on before <see cref="ExtraPorts"/>; <see cref="DefaultPorts"/> unless replaced.</summary>
    public IReadOnlyList<int> BasePorts { get; init; } = DefaultPorts;

    /// <summary>Ports the operator added (--ports).</summary>
    public IReadOnlyList<int> ExtraPorts { get; init; } = [];

    /// <summary>The most distinct addresses the audit scans, resolved names and MX hosts included.</summary>
    public int MaxAddresses { get; init; } = DefaultMaxAddresses;

    /// <summary>Base and extra ports, each once, in ascending order.</summary>
    public IReadOnlyList<int> Ports => BasePorts.Concat(ExtraPorts).Distinct().Order().ToList();

    /// <summary>Addresses named directly plus the host addresses of the networks (before names are resolved).</summary>
    public long LiteralAddressCount
    {
        get
        {
            var total = Networks.Aggregate(new BigInteger(Addresses.Count), (sum, n) => sum + n.AddressCount);
            return (long)BigInteger.Min(total, long.MaxValue);
        }
    }

    public bool IsEmpty => Domains.Count == 0 && HostNames.Count == 0 && Addresses.Count == 0 && Networks.Count == 0;

    /// <summary>One line for the report, so the output says what was in scope.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Domains.Count > 0)
        {
            parts.Add("domains " + string.Join(", ", Domains));
        }

        if (HostNames.Count > 0)
        {
            parts.Add("hosts " + string.Join(", ", HostNames));
        }

        if (Addresses.Count > 0)
        {
            parts.Add("addresses " + string.Join(", ", Addresses));
        }

        if (Networks.Count > 0)
        {
            parts.Add("networks " + string.Join(", ", Networks));
        }

        parts.Add("ports " + string.Join(", ", Ports));
        return string.Join("; ", parts);
    }
}
