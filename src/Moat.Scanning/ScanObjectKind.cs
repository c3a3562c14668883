namespace Moat.Scanning;

public enum ScanObjectKind
{
    /// <summary>The whole input as given: a raw RFC 5322 message or a file.</summary>
    Root,

    /// <summary>A MIME part, transfer-decoded the way mail clients decode it (also uuencode/yEnc blocks).</summary>
    MimePart,

    /// <summary>A message/rfc822 part or an attached .eml, walked again as a message.</summary>
    NestedMessage,

    /// <summary>A member of an archive (zip, gzip, tar, 7z, rar).</summary>
    ArchiveEntry,
}
