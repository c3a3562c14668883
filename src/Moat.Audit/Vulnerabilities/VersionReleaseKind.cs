namespace Moat.Audit.Vulnerabilities;

/// <summary>Where a <see cref="SoftwareVersion"/> stands relative to the plain release with the same numbers.</summary>
public enum VersionReleaseKind
{
    /// <summary>alpha, beta, pre, rc: before the release.</summary>
    PreRelease = -1,

    Release = 0,

    /// <summary>"p1", "p2": portable or patch releases after the release.</summary>
    PatchRelease = 1,
}
