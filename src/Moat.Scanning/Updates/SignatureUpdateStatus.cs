using Moat.Scanning.Signatures;

namespace Moat.Scanning.Updates;

/// <summary>The installed signature files and the last update attempt.</summary>
public sealed record SignatureUpdateStatus
{
    /// <summary>Database files in the signature folder now.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>When the current files were installed (the manifest's time), null when none were ever installed.</summary>
    public DateTimeOffset? InstalledAt { get; init; }

    /// <summary>Database files kept in previous/ for <see cref="SignatureUpdateService.RollbackAsync"/>.</summary>
    public required IReadOnlyList<string> PreviousFiles { get; init; }

    /// <summary>The set the engine scans with (when the service has an engine).</summary>
    public SignatureSetStatistics? Live { get; init; }

    public SignatureUpdateResult? LastAttempt { get; init; }

    public string? Source { get; init; }

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Age => InstalledAt is { } at ? DateTimeOffset.UtcNow - at : null;
}
