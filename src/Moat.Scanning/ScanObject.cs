namespace Moat.Scanning;

/// <summary>
/// One thing to scan: a whole message or file, a decoded MIME part, or an archive member. The
/// content walker produces them; every engine sees the same objects. Content is opened on
/// demand, once per engine, so nothing has to be held whole in memory.
/// </summary>
public sealed class ScanObject
{
    public ScanObject(string path, ScanObjectKind kind, Func<CancellationToken, ValueTask<Stream>> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(open);
        Path = path;
        Kind = kind;
        Open = open;
    }

    /// <summary>Where the object sits, for people: "message.eml › part 2 (invoice.zip) › invoice.pdf.exe".</summary>
    public string Path { get; }

    public ScanObjectKind Kind { get; }

    /// <summary>Opens the decoded content from its start (a new stream each call; the caller disposes it).</summary>
    public Func<CancellationToken, ValueTask<Stream>> Open { get; }

    /// <summary>The file name as a mail client would show it (RFC 2231 decoded), or the archive entry name.</summary>
    public string? FileName { get; init; }

    /// <summary>The MIME type the sender declared (lower case, no parameters), if any.</summary>
    public string? DeclaredContentType { get; init; }

    /// <summary>Content length in bytes when known in advance.</summary>
    public long? Length { get; init; }

    /// <summary>Nesting depth: 0 for the root, +1 for each MIME, message or archive level.</summary>
    public int Depth { get; init; }

    /// <summary>The archive that held this object was encrypted (the member itself could not be read).</summary>
    public bool IsEncrypted { get; init; }

    public override string ToString() => Path;
}
