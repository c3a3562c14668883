namespace Moat.Smtp.Protocol;

/// <summary>Where a session stands between two commands.</summary>
public enum SmtpState
{
    /// <summary>Greeted, no HELO/EHLO yet (also right after STARTTLS).</summary>
    Connected,

    /// <summary>HELO/EHLO accepted, no transaction open.</summary>
    Ready,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    MailGiven,

    /// <summary>At least one recipient accepted.</summary>
    RcptGiven,

    /// <summary>BDAT chunks are arriving and the LAST one has not come.</summary>
    Chunking,
}
