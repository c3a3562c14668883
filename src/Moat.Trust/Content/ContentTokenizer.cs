using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Moat.Trust.Messages;

namespace Moat.Trust.Content;

/// <summary>
/// The words a content classifier looks at, read from a message the way a reader sees it: Subject
/// without the list's tag, the text of every text part (HTML reduced to its text) without the list's
/// footer, word pairs, the host names of links, the MIME types, and header names and a few header
/// values of the sender's software. Headers a list or a relay adds are left out, so a list's spam
/// and its good posts differ only by what their authors wrote. Bounded: 64 KiB of each text part,
/// at most <see cref="MaximumTokens"/> tokens.
/// </summary>
public static partial class ContentTokenizer
{
    public const int MaximumTokens = 20_000;

    private const int TextBytesPerPart = 64 * 1024;

    /// <summary>Longer words count only by their first letter and length ("long:a20").</summary>
    private const int MaximumWordLength = 12;

    private const string PairPrefix = "pair:";

    private const string WordPunctuation = ".,;:()[]\"'?!<>*";

    private static readonly HashSet<string> IgnoredHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Subscribe", "List-Archive", "List-Owner",
        "X-BeenThere", "Sender", "Errors-To", "Precedence", "X-Mailman-Version", "Mailing-List", "X-Loop",
        "Delivered-To", "Return-Path", "X-Original-To", "Received", "Authentication-Results", "ARC-Authentication-Results",
        "ARC-Seal", "ARC-Message-Signature", "DKIM-Signature", "Received-SPF", Filter.TrustFilter.TrustHeader,
    };

    private static readonly HashSet<string> ValueHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Mailer", "User-Agent", "Content-Type", "MIME-Version", "Content-Transfer-Encoding", "X-Priority", "Importance", "X-MSMail-Priority",
    };

    public static async Task<IReadOnlySet<string>> ReadAsync(Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = await MimeMessage.LoadAsync(message, persistent: message.CanSeek, cancellationToken).ConfigureAwait(false);
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in parsed.Headers)
        {
            if (IgnoredHeaders.Contains(header.Field) || header.Field.StartsWith("X-Spam", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            tokens.Add("header:" + header.Field.ToLowerInvariant());
            if (ValueHeaders.Contains(header.Field))
            {
                foreach (var word in Words().Matches(header.Value.ToLowerInvariant()).Take(6))
                {
                    tokens.Add(header.Field.ToLowerInvariant() + ":" + word.Value);
                }
            }
        }

        var subject = ListTag().Replace(parsed.Subject ?? string.Empty, string.Empty);
        foreach (Match word in Words().Matches(subject.ToLowerInvariant()))
        {
            tokens.Add("subject:" + word.Value);
        }

        foreach (var part in parsed.BodyParts.OfType<MimePart>())
        {
            tokens.Add("type:" + part.ContentType.MimeType.ToLowerInvariant());
            if (part is TextPart text && tokens.Count < MaximumTokens)
            {
                AddText(tokens, await ReadTextAsync(text, cancellationToken).ConfigureAwait(false));
            }
        }

        return tokens;
    }

    private static async Task<string> ReadTextAsync(TextPart part, CancellationToken cancellationToken)
    {
        if (part.Content is null)
        {
            return string.Empty;
        }

        Encoding encoding;
        try
        {
            encoding = part.ContentType.CharsetEncoding ?? Encoding.Latin1;
        }
        catch (NotSupportedException)
        {
            encoding = Encoding.Latin1;
        }

        string text;
        var buffer = ArrayPool<byte>.Shared.Rent(TextBytesPerPart);
        try
        {
            var length = 0;
            await using (var decoded = part.Content.Open())
            {
                int read;
                while (length < TextBytesPerPart && (read = await decoded.ReadAsync(buffer.AsMemory(length, TextBytesPerPart - length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                }
            }

            text = encoding.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (part.IsHtml)
        {
            text = HtmlText.ToText(text);
        }

        // Mailman and most list servers separate their footer with a line of underscores.
        return Footer().Match(text) is { Success: true } footer ? text[..footer.Index] : text;
    }

    private static void AddText(HashSet<string> tokens, string text)
    {
        foreach (Match link in Link().Matches(text))
        {
            var labels = link.Groups[1].Value.ToLowerInvariant().Split('.');
            foreach (var label in labels.Skip(Math.Max(0, labels.Length - 3)))
            {
                tokens.Add("url:" + label);
            }
        }

        // Words are lower-cased into a buffer and looked up as spans: a word the message repeats
        // costs no string, only a new one does.
        var lookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> current = stackalloc char[MaximumWordLength];
        Span<char> previous = stackalloc char[MaximumWordLength];
        Span<char> pair = stackalloc char[PairPrefix.Length + (2 * MaximumWordLength) + 1];
        var previousLength = 0;
        var rest = text.AsSpan();
        while (tokens.Count < MaximumTokens)
        {
            var start = 0;
            while (start < rest.Length && char.IsWhiteSpace(rest[start]))
            {
                start++;
            }

            var end = start;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
            {
                end++;
            }

            if (end == start)
            {
                return;
            }

            var raw = rest[start..end].Trim(WordPunctuation);
            rest = rest[end..];
            if (raw.Length is >= 3 and <= MaximumWordLength)
            {
                var word = current[..raw.ToLowerInvariant(current)];
                lookup.Add(word);
                if (previousLength > 0)
                {
                    // "pair:previous word"
                    PairPrefix.CopyTo(pair);
                    previous[..previousLength].CopyTo(pair[PairPrefix.Length..]);
                    pair[PairPrefix.Length + previousLength] = ' ';
                    word.CopyTo(pair[(PairPrefix.Length + previousLength + 1)..]);
                    lookup.Add(pair[..(PairPrefix.Length + previousLength + 1 + word.Length)]);
                }

                word.CopyTo(previous);
                previousLength = word.Length;
            }
            else
            {
                if (raw.Length > MaximumWordLength)
                {
                    lookup.Add($"long:{char.ToLowerInvariant(raw[0])}{raw.Length / 10 * 10}");
                }

                previousLength = 0;
            }
        }
    }

    [GeneratedRegex(@"[\w$'!-]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"^\s*(re:\s*)?\[[^\]]{1,30}\]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ListTag();

    [GeneratedRegex(@"^_{20,}\s*$", RegexOptions.Multiline)]
    private static partial Regex Footer();

    [GeneratedRegex(@"https?://([^/\s""'<>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}
