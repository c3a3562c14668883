using MimeKit;

namespace Moat.Bench.Trust.Model;

/// <summary>
/// One message arriving at the gateway, with the header Moat reads and the modelled result of
/// sender authentication (SPF, DKIM and DMARC cannot be run on 2002 mail against today's DNS).
/// </summary>
internal sealed class InboundMail
{
    public required CorpusMessage Source { get; init; }

    public required MailCategory Category { get; init; }

    /// <summary>The local user the message is for.</summary>
    public required string Recipient { get; init; }

    /// <summary>The header as it reaches Moat (From rewritten for forged mail and for lists that rewrite it).</summary>
    public required HeaderList Headers { get; init; }

    /// <summary>MAIL FROM; empty for the null sender.</summary>
    public required string EnvelopeSender { get; init; }

    /// <summary>Modelled: DMARC pass, or SPF/DKIM pass for the From domain.</summary>
    public required bool AuthenticatedAndAligned { get; init; }

    /// <summary>Modelled: SPF pass for the envelope domain, or a verified DKIM signature of it.</summary>
    public required bool EnvelopeAuthenticated { get; init; }

    /// <summary>Ground truth: the envelope sender is the real sender's own address, so a challenge to it is no backscatter.</summary>
    public required bool EnvelopeGenuine { get; init; }

    /// <summary>Modelled: the From domain publishes DMARC p=reject or p=quarantine.</summary>
    public required bool FromDomainEnforcesDmarc { get; init; }

    public required DateTimeOffset Arrived { get; init; }

    /// <summary>Tie-break for messages arriving at the same second: corpus order.</summary>
    public required int Order { get; init; }

    public Fate Fate { get; set; }

    /// <summary>Why the message was not delivered at once (the evidence), when it was not.</summary>
    public string? Reason { get; set; }

    public HeldState Held { get; set; }

    public bool IsLegitimate => Category is MailCategory.Correspondent or MailCategory.Subscription or MailCategory.Stranger;

    public bool DeliveredAtOnce => Fate is Fate.Trusted or Fate.Familiar or Fate.Accepted;

    public bool ReachedInbox => DeliveredAtOnce || Held == HeldState.Released;
}
