using MimeKit;

namespace Moat.Trust.Messages;

/// <summary>
/// What the header of a message says about its kind: automatic mail (bounces, auto-replies,
/// challenges), list traffic, and who it claims to be from. Learning and challenges must never
/// react to automatic or list mail, or two robots end up talking to each other.
/// </summary>
public sealed record MessageTraits
{
    /// <summary>The header field that marks Moat's own challenges (besides Auto-Submitted), so no instance challenges one.</summary>
    public const string ChallengeHeader = "X-Challenge";

    public string? Subject { get; init; }

    public string? MessageId { get; init; }

    /// <summary>The single From address, or null when there are none or several.</summary>
    public string? FromAddress { get; init; }

    /// <summary>The single Reply-To address, or null: where a list that rewrites From keeps the author's.</summary>
    public string? ReplyToAddress { get; init; }

    /// <summary>Auto-Submitted other than "no" (RFC 3834), vacation/auto-reply markers, or a delivery report.</summary>
    public bool IsAutomatic { get; init; }

    /// <summary>List-Id, List-Unsubscribe, List-Post or Precedence bulk/list/junk.</summary>
    public bool IsListTraffic { get; init; }

    /// <summary>A challenge sent by Moat (here or another instance).</summary>
    public bool IsChallenge { get; init; }

    /// <summary>
    /// The list's posting address from List-Post (RFC 2369), lower case, or null. A list that
    /// leaves From alone can still be trusted through the address its subscribers know it by.
    /// </summary>
    public string? ListAddress { get; init; }

    /// <summary>Reads the header of a message without reading its body.</summary>
    public static async Task<MessageTraits> ReadAsync(Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = await HeaderList.LoadAsync(message, cancellationToken).ConfigureAwait(false);
        return FromHeaders(headers);
    }

    public static MessageTraits FromHeaders(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var autoSubmitted = headers[HeaderId.AutoSubmitted]?.Trim();
        var precedence = headers["Precedence"]?.Trim().ToLowerInvariant();
        var contentType = headers[HeaderId.ContentType];
        var isReport = contentType is not null
            && ContentType.TryParse(contentType, out var type)
            && type.IsMimeType("multipart", "report");

        var automatic = (autoSubmitted is not null && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
            || headers.Contains("X-Autoreply")
            || headers.Contains("X-Autorespond")
            || isReport
            || headers.Contains(ChallengeHeader);

        var list = headers.Contains(HeaderId.ListId)
            || headers.Contains(HeaderId.ListUnsubscribe)
            || headers.Contains(HeaderId.ListPost)
            || precedence is "bulk" or "list" or "junk";

        return new MessageTraits
        {
            Subject = headers[HeaderId.Subject],
            MessageId = headers[HeaderId.MessageId]?.Trim(),
            FromAddress = SingleAddress(headers, HeaderId.From),
            ReplyToAddress = SingleAddress(headers, HeaderId.ReplyTo),
            IsAutomatic = automatic,
            IsListTraffic = list,
            IsChallenge = headers.Contains(ChallengeHeader),
            ListAddress = PostingAddress(headers[HeaderId.ListPost]),
        };
    }

    /// <summary>The first mailto: of "List-Post: &lt;mailto:list@example.org?subject=...&gt;"; announce-only lists say "NO".</summary>
    private static string? PostingAddress(string? listPost)
    {
        var start = listPost?.IndexOf("<mailto:", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (start < 0)
        {
            return null;
        }

        var address = listPost![(start + "<mailto:".Length)..];
        var end = address.IndexOfAny(['>', '?']);
        address = Uri.UnescapeDataString((end < 0 ? address : address[..end]).Trim()).ToLowerInvariant();
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && !address.Any(char.IsWhiteSpace) ? address : null;
    }

    private static string? SingleAddress(HeaderList headers, HeaderId id)
    {
        var fromHeaders = headers.Where(h => h.Id == id).ToList();
        if (fromHeaders.Count != 1 || !InternetAddressList.TryParse(fromHeaders[0].Value, out var list))
        {
            return null;
        }

        var mailboxes = list.Mailboxes.ToList();
        return mailboxes.Count == 1 ? mailboxes[0].Address : null;
    }
}
