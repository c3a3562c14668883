namespace Moat.Cli.Configuration;

/// <summary>Section "antivirus": which engines scan mail in each direction, and what happens to a virus.</summary>
public sealed class AntivirusOptions
{
    public AntivirusDirectionOptions Inbound { get; set; } = new();

    public AntivirusDirectionOptions Outbound { get; set; } = new();

    /// <summary>How long one engine may take on one object; longer gives 451 4.7.0 unless the engine is fail-open.</summary>
    public TimeSpan EngineTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>clamd servers as "host:port" or "unix:/path", tried in order. None: clamd is not used.</summary>
    public List<string>? Clamd { get; set; }

    /// <summary>When every clamd fails, carry on without it (logged and counted). Off: the message waits (451).</summary>
    public bool ClamdFailOpen { get; set; }

    /// <summary>"reject" or "quarantine" content that breaks a limit (zip bombs, too deep, too many parts).</summary>
    public string LimitAction { get; set; } = "reject";

    public int MaxDepth { get; set; } = 16;

    public int MaxObjects { get; set; } = 10_000;

    public long MaxTotalBytes { get; set; } = 1L << 30;

    public double MaxExpansionRatio { get; set; } = 250;

    /// <summary>File extensions the heuristics engine blocks. Default: executables, scripts, shortcuts, disk images.</summary>
    public List<string>? BlockedExtensions { get; set; }

    /// <summary>Where signature updates come from: an http(s) URL or a folder with manifest.sha256. None: no updates.</summary>
    public string? SignatureSource { get; set; }

    /// <summary>How often to fetch signature updates (e.g. "00:15:00"); none: only `moat signatures update`.</summary>
    public TimeSpan? SignatureUpdateInterval { get; set; }
}
