using Moat.Trust.Sources;

namespace Moat.Trust;

/// <summary>The <c>trust</c> section of the configuration.</summary>
public sealed class TrustOptions
{
    /// <summary>The name this host uses in Authentication-Results (RFC 8601 authserv-id); default: the host name.</summary>
    public string? AuthServId { get; set; }

    /// <summary>What happens to mail from unknown senders, organisation-wide.</summary>
    public UnknownSenderPolicy UnknownSenders { get; set; } = UnknownSenderPolicy.Accept;

    /// <summary>Per-user overrides of <see cref="UnknownSenders"/>, keyed by the user's address.</summary>
    public Dictionary<string, UnknownSenderPolicy> UserPolicies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reject during SMTP mail from unknown senders that fails DMARC for a domain publishing p=reject or p=quarantine.</summary>
    public bool EnforceDmarc { get; set; } = true;

    /// <summary>Learn every recipient of outbound mail as trusted for its sender.</summary>
    public bool LearnFromOutbound { get; set; } = true;

    /// <summary>How long a learned entry lasts; null keeps it until removed. Each new message renews it.</summary>
    public TimeSpan? LearnedEntryLifetime { get; set; }

    /// <summary>How often the gateway checks whether another process (the CLI) changed the lists.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often each user gets a digest of the mail held for them; null sends none.</summary>
    public TimeSpan? DigestInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Check that the sending host looks like a mail server (forward-confirmed reverse DNS, HELO) and that the envelope domain accepts mail.</summary>
    public bool SenderSystemChecks { get; set; } = true;

    /// <summary>The RCPT probe of an unknown sender's own mail server; off by default.</summary>
    public SenderCalloutOptions Callout { get; set; } = new() { HeloName = string.Empty };

    public FamiliarityOptions Familiarity { get; set; } = new();

    public ChallengeOptions Challenge { get; set; } = new();

    public ListContentOptions ListContent { get; set; } = new();
}
