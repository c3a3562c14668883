namespace Moat.Audit.Vulnerabilities;

/// <summary>An advisory that applies to a version seen on a server, with the fix for that version's branch.</summary>
public sealed record AdvisoryMatch(Advisory Advisory, AffectedVersions Affected, SoftwareVersion Version)
{
    /// <summary>The release to upgrade to on this branch, or null when the branch has no fix.</summary>
    public string? FixedVersion => Affected.Fixed;
}
