namespace Moat.Cli.Configuration;

/// <summary>Section "privacy": what Moat keeps about people, for how long, and what it tells them.</summary>
public sealed class PrivacyOptions
{
    /// <summary>Write e-mail addresses in logs as keyed hashes (<c>moat privacy pseudonym ADDRESS</c> finds one person's lines).</summary>
    public bool PseudonymiseAddresses { get; set; }

    /// <summary>Held (quarantined) mail is deleted this long after it arrived.</summary>
    public TimeSpan HeldMailRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Access-log entries are purged this long after they were written.</summary>
    public TimeSpan AccessLogRetention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>A text file the operator writes for local law; shown on the privacy notice page below the generated part.</summary>
    public string? NoticeFile { get; set; }
}
