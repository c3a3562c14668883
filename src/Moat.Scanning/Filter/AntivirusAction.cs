namespace Moat.Scanning.Filter;

/// <summary>What the gateway does with a message an antivirus scan found infected.</summary>
public enum AntivirusAction
{
    /// <summary>Refuse it during the SMTP dialogue with 554 5.7.0 naming the threat: the sender's server writes the bounce.</summary>
    Reject,

    /// <summary>Accept it and keep it from delivery for a person to judge.</summary>
    Quarantine,

    /// <summary>Deliver it with an "X-Virus-Status: Infected (threat)" header, for the mail server or client to act on.</summary>
    Tag,
}
