using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using Moat.Queue.Spool;

namespace Moat.Queue.Dsn;

/// <summary>
/// Builds RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status).
/// Neutral on purpose: no product name or version anywhere, only our host name.
/// </summary>
public sealed class DsnBuilder(string hostname, long maxReturnedBytes = 64 * 1024)
{
    /// <summary>
    /// Builds the "failed" DSN for the given recipients of a message. The original content is
    /// included in full (RET=FULL or unset, and small enough) or as headers only. The caller
    /// disposes the returned message (it may hold the content stream).
    /// </summary>
    public async Task<MimeMessage> BuildFailureAsync(Envelope original, IReadOnlyList<EnvelopeRecipient> failed, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (original.IsNullSender)
        {
            throw new InvalidOperationException("a DSN is never sent to the null sender");
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@" + hostname));
        message.To.Add(MailboxAddress.Parse(original.Sender));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(hostname);

        // RFC 3834: marks the message as automatic so that responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var report = new MultipartReport("delivery-status")
        {
            HumanReadable(original, failed),
            StatusPart(original, failed, now),
            await ReturnedContentAsync(original, content, cancellationToken).ConfigureAwait(false),
        };
        message.Body = report;
        return message;
    }

    private TextPart HumanReadable(Envelope original, IReadOnlyList<EnvelopeRecipient> failed)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at host ").Append(hostname).Append(".\r\n\r\n");
        text.Append("Your message could not be delivered to one or more recipients.\r\n");
        text.Append("The message is attached").Append(original.Ret?.Equals("HDRS", StringComparison.OrdinalIgnoreCase) == true ? " (headers only)" : string.Empty).Append(".\r\n\r\n");
        foreach (var recipient in failed)
        {
            text.Append('<').Append(recipient.Address).Append(">: ").Append(recipient.LastReply ?? "delivery failed").Append("\r\n");
        }

        return new TextPart("plain") { Text = text.ToString() };
    }

    private MessageDeliveryStatus StatusPart(Envelope original, IReadOnlyList<EnvelopeRecipient> failed, DateTimeOffset now)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", "dns; " + hostname },
        };
        if (!string.IsNullOrEmpty(original.EnvelopeId))
        {
            perMessage.Add("Original-Envelope-Id", original.EnvelopeId);
        }

        if (!string.IsNullOrEmpty(original.HeloName) || !string.IsNullOrEmpty(original.ClientAddress))
        {
            perMessage.Add("Received-From-MTA", $"dns; {original.HeloName ?? "unknown"} ({original.ClientAddress ?? "unknown"})");
        }

        perMessage.Add("Arrival-Date", DateUtils.FormatDate(original.ReceivedAt));
        status.StatusGroups.Add(perMessage);

        foreach (var recipient in failed)
        {
            var group = new HeaderList();
            if (!string.IsNullOrEmpty(recipient.OriginalRecipient))
            {
                group.Add("Original-Recipient", recipient.OriginalRecipient.Contains(';', StringComparison.Ordinal) ? recipient.OriginalRecipient : "rfc822; " + recipient.OriginalRecipient);
            }

            group.Add("Final-Recipient", "rfc822; " + recipient.Address);
            group.Add("Action", "failed");
            group.Add("Status", StatusCodeOf(recipient.LastReply));
            if (!string.IsNullOrEmpty(recipient.LastReply))
            {
                group.Add("Diagnostic-Code", "smtp; " + recipient.LastReply);
            }

            group.Add("Last-Attempt-Date", DateUtils.FormatDate(now));
            status.StatusGroups.Add(group);
        }

        return status;
    }

    private async Task<MimeEntity> ReturnedContentAsync(Envelope original, Stream content, CancellationToken cancellationToken)
    {
        var headersOnly = string.Equals(original.Ret, "HDRS", StringComparison.OrdinalIgnoreCase) || original.Size > maxReturnedBytes;
        if (headersOnly)
        {
            var headers = await HeaderReader.ReadHeaderBlockAsync(content, cancellationToken).ConfigureAwait(false);
            return new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(headers, writable: false)),
                ContentTransferEncoding = original.EightBit ? ContentEncoding.EightBit : ContentEncoding.SevenBit,
            };
        }

        // message/rfc822 may only be 7bit or 8bit encoded (RFC 2046 §5.2.1); the stored bytes
        // are attached unchanged, streamed from the spool.
        return new MimePart("message", "rfc822")
        {
            Content = new MimeContent(content),
            ContentTransferEncoding = original.EightBit ? ContentEncoding.EightBit : ContentEncoding.SevenBit,
        };
    }

    /// <summary>The enhanced status code (RFC 3463) from a reply like "550 5.1.1 ...", or one derived from the reply code.</summary>
    internal static string StatusCodeOf(string? reply)
    {
        if (!string.IsNullOrEmpty(reply))
        {
            var parts = reply.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1 && IsEnhancedCode(parts[1]))
            {
                return parts[1];
            }

            if (parts.Length > 0 && parts[0].Length == 3 && parts[0][0] is '4' or '5')
            {
                return parts[0][0].ToString(CultureInfo.InvariantCulture) + ".0.0";
            }
        }

        return "5.0.0";
    }

    private static bool IsEnhancedCode(string text)
    {
        var pieces = text.Split('.');
        return pieces.Length == 3 && pieces[0] is "2" or "4" or "5" && pieces.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
