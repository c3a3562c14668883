namespace Moat.Scanning.Signatures;

/// <summary>What a loaded <see cref="SignatureSet"/> holds and how it was loaded.</summary>
public sealed record SignatureSetStatistics
{
    public int Md5Hashes { get; init; }

    public int Sha1Hashes { get; init; }

    public int Sha256Hashes { get; init; }

    /// <summary>.ndb body signatures.</summary>
    public int BodySignatures { get; init; }

    /// <summary>.ldb logical signatures (their subsignatures are in <see cref="BodyPatterns"/>).</summary>
    public int LogicalSignatures { get; init; }

    /// <summary>All body patterns: .ndb signatures plus .ldb subsignatures.</summary>
    public int BodyPatterns { get; init; }

    /// <summary>Body patterns without a usable anchor, tried at every position (keep this small).</summary>
    public int SlowPatterns { get; init; }

    /// <summary>Valid signatures using features Moat does not implement, skipped with a warning.</summary>
    public int Skipped { get; init; }

    /// <summary>The first warnings ("file:line: skipped: why"); <see cref="Skipped"/> has the full count.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Database files loaded (file names; "builtin.hdb"/"builtin.ndb" for the built-in database).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Files in the folder that were not loaded (unsupported extension).</summary>
    public IReadOnlyList<string> IgnoredFiles { get; init; } = [];

    public TimeSpan LoadTime { get; init; }

    public DateTimeOffset LoadedAt { get; init; }

    public int TotalSignatures => Md5Hashes + Sha1Hashes + Sha256Hashes + BodySignatures + LogicalSignatures;
}
