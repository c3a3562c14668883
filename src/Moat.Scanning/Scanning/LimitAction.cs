namespace Moat.Scanning.Scanning;

/// <summary>What to do with content that broke a <see cref="Content.ScanLimits"/> bound.</summary>
public enum LimitAction
{
    /// <summary>Refuse it during the SMTP dialogue (5xx).</summary>
    Reject,

    /// <summary>Accept it into quarantine for a person to judge.</summary>
    Quarantine,
}
