namespace Moat.Audit.Vulnerabilities;

/// <summary>
/// One affected range of an advisory and the release that fixed it. Projects that maintain
/// several branches fix each one separately (Postfix 3.8.4, 3.7.9, …), so an advisory has one of
/// these per branch and the fix to recommend depends on the branch a server runs.
/// </summary>
/// <param name="Fixed">The first fixed release for this range, or null when no fix exists (an end-of-life branch).</param>
public sealed record AffectedVersions(VersionRange Range, string? Fixed);
