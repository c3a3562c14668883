namespace Moat.Scanning.Updates;

/// <summary>Where signature databases live and where updates come from.</summary>
public sealed class SignatureUpdateOptions
{
    /// <summary>The live signature folder (normally &lt;dataDirectory&gt;/signatures); the previous set is kept in its previous/ subfolder.</summary>
    public required string DatabaseDirectory { get; init; }

    /// <summary>An http(s) URL or a local folder holding manifest.sha256 and the files it lists; null: no updates.</summary>
    public string? Source { get; init; }

    /// <summary>How often <see cref="SignatureUpdateService.RunAsync"/> updates (5, 10, 15 minutes or any span); null: manual only.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Largest database file accepted from a source (a bound against a hostile or broken mirror).</summary>
    public long MaxFileSize { get; init; } = 512L * 1024 * 1024;
}
