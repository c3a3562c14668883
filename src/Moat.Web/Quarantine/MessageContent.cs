namespace Moat.Web.Quarantine;

/// <summary>What the message page shows of a held message once it may be opened: text only, never active content.</summary>
/// <param name="Headers">From, To, Cc, Date, Subject and friends, decoded.</param>
/// <param name="Text">The readable body: the text part, or the HTML part reduced to its text; cut at a limit.</param>
/// <param name="Truncated">The body was longer than the page shows; download the message for all of it.</param>
public sealed record MessageContent(
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Text,
    bool Truncated,
    IReadOnlyList<MessageAttachment> Attachments);
