using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using Moat.Queue.Spool;
using Envelope = Moat.Queue.Spool.Envelope;

namespace Moat.Queue.Delivery;

/// <summary>
/// MailKit's SmtpClient adapted to relaying: records each recipient's reply instead of throwing on
/// the first rejection (partial acceptance), passes the DSN parameters of the stored envelope on,
/// and never rewrites the message.
/// </summary>
internal sealed class DeliverySmtpClient : SmtpClient
{
    private readonly Dictionary<MailboxAddress, EnvelopeRecipient> recipients = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<EnvelopeRecipient, SmtpResponse> responses = new(ReferenceEqualityComparer.Instance);
    private Envelope? envelope;

    /// <summary>Messages sent over this connection, to bound its reuse.</summary>
    public int MessagesSent { get; set; }

    /// <summary>Replies to RCPT TO of the current transaction, by recipient.</summary>
    public IReadOnlyDictionary<EnvelopeRecipient, SmtpResponse> RecipientResponses => responses;

    /// <summary>Prepares the per-message state MailKit's callbacks need.</summary>
    public void BeginTransaction(Envelope current, IReadOnlyDictionary<MailboxAddress, EnvelopeRecipient> mailboxes)
    {
        envelope = current;
        recipients.Clear();
        responses.Clear();
        foreach (var (mailbox, recipient) in mailboxes)
        {
            recipients[mailbox] = recipient;
        }

        DeliveryStatusNotificationType = current.Ret?.ToUpperInvariant() switch
        {
            "FULL" => MailKit.Net.Smtp.DeliveryStatusNotificationType.Full,
            "HDRS" => MailKit.Net.Smtp.DeliveryStatusNotificationType.HeadersOnly,
            _ => MailKit.Net.Smtp.DeliveryStatusNotificationType.Unspecified,
        };
    }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        if (recipients.TryGetValue(mailbox, out var recipient))
        {
            responses[recipient] = response;
        }
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        // Record and carry on: the other recipients may still be accepted.
        if (recipients.TryGetValue(mailbox, out var recipient))
        {
            responses[recipient] = response;
        }
    }

    protected override string? GetEnvelopeId(MimeMessage message) => envelope?.EnvelopeId;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        if (!recipients.TryGetValue(mailbox, out var recipient) || recipient.Notify is null)
        {
            return null;
        }

        DeliveryStatusNotification notify = 0;
        foreach (var word in recipient.Notify.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            notify |= word.ToUpperInvariant() switch
            {
                "NEVER" => DeliveryStatusNotification.Never,
                "SUCCESS" => DeliveryStatusNotification.Success,
                "FAILURE" => DeliveryStatusNotification.Failure,
                "DELAY" => DeliveryStatusNotification.Delay,
                _ => 0,
            };
        }

        return notify == 0 ? null : notify;
    }

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        // A relay forwards what it received; MIME re-encoding would break signatures.
    }
}
