using Moat.Audit.Findings;

namespace Moat.Audit.Vulnerabilities;

/// <summary>A published vulnerability of one product, with the versions it affects and the releases that fix it.</summary>
public sealed record Advisory
{
    /// <summary>The CVE id, e.g. "CVE-2019-10149".</summary>
    public required string Id { get; init; }

    /// <summary>Other CVE ids fixed by the same releases and reported with this one.</summary>
    public IReadOnlyList<string> Related { get; init; } = [];

    /// <summary>The name it is known by, e.g. "Return of the WIZard", or null.</summary>
    public string? Name { get; init; }

    /// <summary>The product as <see cref="Fingerprints.Fingerprint.Product"/> names it, e.g. "Exim".</summary>
    public required string Product { get; init; }

    /// <summary>Affected ranges; a version is affected when any of them contains it.</summary>
    public required IReadOnlyList<AffectedVersions> Affected { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>What an attacker can do and under which conditions, in one or two sentences.</summary>
    public required string Summary { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>All fixed releases, e.g. "3.8.4, 3.7.9, 3.6.13, 3.5.23".</summary>
    public string FixedVersions => string.Join(", ", Affected.Select(a => a.Fixed).OfType<string>().Distinct());

    /// <summary>The affected range that contains <paramref name="version"/>, or null when it is not affected.</summary>
    public AffectedVersions? RangeFor(SoftwareVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Affected.FirstOrDefault(a => a.Range.Contains(version));
    }
}
