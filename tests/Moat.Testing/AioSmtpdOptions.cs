namespace Moat.Testing;

/// <summary>How the test SMTP server answers. Without rules it accepts everything.</summary>
public sealed class AioSmtpdOptions
{
    /// <summary>
    /// Replies to RCPT TO by address (case-insensitive), used in order; the last one repeats.
    /// An empty string means "accept". E.g. ["451 4.2.0 try later", ""] fails once, then accepts.
    /// </summary>
    public Dictionary<string, List<string>> RecipientReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replies to the end of DATA, used in order; the last one repeats. Empty = accept.</summary>
    public List<string> DataReplies { get; } = [];

    /// <summary>Offer STARTTLS with a fresh self-signed certificate (not required by the server).</summary>
    public bool StartTls { get; set; }

    /// <summary>Listen on this port instead of a free one (to bring a server "back" where a test pointed a route earlier).</summary>
    public int? Port { get; set; }

    /// <summary>Advertise SMTPUTF8.</summary>
    public bool SmtpUtf8 { get; set; } = true;

    public AioSmtpdOptions RejectRecipient(string address, string reply = "550 5.1.1 no such user")
    {
        RecipientReplies[address] = [reply];
        return this;
    }

    public AioSmtpdOptions TempFailRecipient(string address, int times = 1, string reply = "451 4.2.0 try again later")
    {
        RecipientReplies[address] = [.. Enumerable.Repeat(reply, times), string.Empty];
        return this;
    }
}
