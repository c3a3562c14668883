using Moat.Scanning.Signatures;

namespace Moat.Scanning.Engines;

/// <summary>
/// The signature set a <see cref="SignatureEngine"/> scans with, and its version (1 for the
/// first set, +1 per swap). One immutable object, so a reader never sees a set with another
/// set's version.
/// </summary>
public sealed record SignatureEngineStatus(SignatureSet Set, long Version)
{
    public SignatureSetStatistics Statistics => Set.Statistics;

    /// <summary>How long ago the set was loaded.</summary>
    public TimeSpan Age => DateTimeOffset.UtcNow - Set.Statistics.LoadedAt;
}
