using MimeKit;
using Moat.Trust.Messages;

namespace Moat.Bench.Trust.Model;

/// <summary>What the model needs of a corpus message, read once.</summary>
internal sealed class ParsedMessage(CorpusMessage message, MessageTraits traits)
{
    public CorpusMessage Message { get; } = message;

    /// <summary>Moat's own reading of the header (automatic mail, list traffic, From).</summary>
    public MessageTraits Traits { get; } = traits;

    public string? From { get; } = traits.FromAddress?.ToLowerInvariant() ?? MailAddresses.FirstMailbox(message.Headers[HeaderId.From]);

    public string? ListAddress { get; } = MailAddresses.ListAddress(message.Headers);

    /// <summary>The archive's envelope sender, else Return-Path, else From (empty: the null sender).</summary>
    public string Envelope { get; } = message.MboxSender
        ?? MailAddresses.FirstMailbox(message.Headers[HeaderId.ReturnPath])
        ?? (message.Headers[HeaderId.ReturnPath]?.Contains("<>", StringComparison.Ordinal) == true ? string.Empty : null)
        ?? traits.FromAddress?.ToLowerInvariant()
        ?? string.Empty;

    /// <summary>What a subscriber would have added: the list's address, else the newsletter's From.</summary>
    public string? ListKey => ListAddress ?? From;
}
