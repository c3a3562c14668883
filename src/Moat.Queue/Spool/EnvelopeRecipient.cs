namespace Moat.Queue.Spool;

/// <summary>One RCPT TO of a queued message and how far its delivery got.</summary>
public sealed class EnvelopeRecipient
{
    public string Address { get; set; } = string.Empty;

    public RecipientStatus Status { get; set; } = RecipientStatus.Pending;

    /// <summary>The last reply for this recipient, e.g. "550 5.1.1 user unknown" or a local error text.</summary>
    public string? LastReply { get; set; }

    /// <summary>RFC 3461 NOTIFY as given (NEVER, or a comma list of SUCCESS, FAILURE, DELAY); null = default (failure only).</summary>
    public string? Notify { get; set; }

    /// <summary>RFC 3461 ORCPT as given ("rfc822;addr"), if any.</summary>
    public string? OriginalRecipient { get; set; }

    /// <summary>The recipient wants a DSN when delivery fails (RFC 3461 §4.1: default is FAILURE only).</summary>
    public bool WantsFailureNotice =>
        Notify is null || Notify.Split(',', StringSplitOptions.TrimEntries).Contains("FAILURE", StringComparer.OrdinalIgnoreCase);

    /// <summary>The domain part, lowercased, without a trailing dot; empty when there is none.</summary>
    public string Domain
    {
        get
        {
            var at = Address.LastIndexOf('@');
            return at < 0 ? string.Empty : Address[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        }
    }
}
