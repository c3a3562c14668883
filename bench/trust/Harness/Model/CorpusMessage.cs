using MimeKit;

namespace Moat.Bench.Trust.Model;

/// <summary>One message of the SpamAssassin corpus: its header and the envelope the archive kept.</summary>
/// <param name="Group">The corpus folder: easy-ham-1, easy-ham-2, hard-ham-1, spam-1 or spam-2.</param>
/// <param name="MboxSender">The envelope sender from the archive's "From " line; empty for the null sender, null when the line is missing.</param>
/// <param name="Received">When the corpus owner's server received it.</param>
/// <param name="Body">The raw body (everything after the header's blank line), for the list content check.</param>
internal sealed record CorpusMessage(string Group, string Name, int Order, HeaderList Headers, string? MboxSender, DateTimeOffset Received, ReadOnlyMemory<byte> Body)
{
    public bool IsSpam => Group.StartsWith("spam", StringComparison.Ordinal);

    public override string ToString() => $"{Group}/{Name}";
}
