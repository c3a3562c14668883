using System.Text;

namespace Moat.Scanning.Content;

/// <summary>Decides how to look inside an object: by magic first, then by declared type and name.</summary>
internal static class ContentClassifier
{
    private static readonly string[] MessageHeaders =
        ["received:", "from:", "to:", "subject:", "date:", "message-id:", "mime-version:", "return-path:", "content-type:", "x-"];

    public static ContainerKind Classify(ScanObject item, ReadOnlySpan<byte> head)
    {
        var kind = FileMagic.Detect(head);
        if (FileMagic.IsArchive(kind))
        {
            return ContainerKind.Archive;
        }

        if (kind != FileKind.Unknown)
        {
            return ContainerKind.None;
        }

        if (head.StartsWith("From "u8))
        {
            return item.Kind == ScanObjectKind.Root ? ContainerKind.Mbox : ContainerKind.Message;
        }

        var declared = item.DeclaredContentType;
        if (declared is "message/rfc822" or "message/global" || item.Kind == ScanObjectKind.NestedMessage
            || HasExtension(item.FileName, ".eml") || (item.Kind == ScanObjectKind.Root && LooksLikeMessage(head)))
        {
            return ContainerKind.Message;
        }

        // Text can carry uuencoded or yEnc blocks; binary junk cannot (a NUL gives it away).
        return head.IndexOf((byte)0) < 0 && head.Length > 0 ? ContainerKind.Text : ContainerKind.None;
    }

    public static bool HasExtension(string? name, string extension) =>
        name is not null && name.TrimEnd().EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikeMessage(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head).ToLowerInvariant();
        var firstLine = text.Split('\n', 2)[0];
        var colon = firstLine.IndexOf(':');
        if (colon <= 0 || firstLine[..colon].Any(c => c is ' ' or '\t' || c < 33 || c > 126))
        {
            return false;
        }

        return MessageHeaders.Any(h => text.StartsWith(h, StringComparison.Ordinal) || text.Contains("\n" + h, StringComparison.Ordinal));
    }
}
