using System.Text;
using MimeKit;
using Moat.Trust.Messages;

namespace Moat.Web.Quarantine;

/// <summary>
/// Turns a raw message into what the page may show. The parser keeps parts on disk (persistent
/// stream), so a large held message is not loaded whole; HTML is reduced to its text, so no
/// script, style or remote image in quarantined mail ever runs in an administrator's browser.
/// </summary>
internal static class MessageContentReader
{
    public const int MaxTextLength = 100_000;
    private static readonly string[] ShownHeaders = ["From", "Sender", "Reply-To", "To", "Cc", "Date", "Subject", "Message-ID"];

    public static async Task<MessageContent> ReadAsync(Stream raw, CancellationToken cancellationToken)
    {
        var message = await MimeMessage.LoadAsync(new ParserOptions { MaxMimeDepth = 32 }, raw, persistent: true, cancellationToken);
        var headers = ShownHeaders
            .SelectMany(name => message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            .Select(h => new KeyValuePair<string, string>(h.Field, h.Value))
            .ToList();

        var text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.ToText(html) : string.Empty);
        var truncated = text.Length > MaxTextLength;
        var attachments = message.Attachments
            .Select(a => new MessageAttachment(
                (a as MimePart)?.FileName ?? (a is MessagePart ? "attached message" : "(no name)"),
                a.ContentType.MimeType,
                (a as MimePart)?.Content?.Stream is { CanSeek: true } s ? s.Length : null))
            .ToList();
        return new MessageContent(headers, truncated ? text[..MaxTextLength] : text, truncated, attachments);
    }
}
