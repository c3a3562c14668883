namespace Moat.Scanning.Content;

/// <summary>Makes root objects for <see cref="ContentWalker.WalkAsync"/>.</summary>
public static class ScanRoots
{
    /// <summary>The MIME type a root made for a message carries, so the walker parses it as one.</summary>
    public const string MessageContentType = "message/rfc822";

    /// <summary>Any file; the walker decides from its content (and an .eml name) what it is.</summary>
    public static ScanObject FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        return new ScanObject(full, ScanObjectKind.Root, ct => OpenFile(full, ct))
        {
            FileName = System.IO.Path.GetFileName(full),
            Length = new FileInfo(full).Length,
        };
    }

    /// <summary>A raw RFC 5322 message stored in a file (spool file, .eml), or an mbox.</summary>
    public static ScanObject FromMessage(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        return new ScanObject(full, ScanObjectKind.Root, ct => OpenFile(full, ct))
        {
            FileName = System.IO.Path.GetFileName(full),
            DeclaredContentType = MessageContentType,
            Length = new FileInfo(full).Length,
        };
    }

    /// <summary>A root whose content comes from <paramref name="open"/> (a new stream on every call).</summary>
    public static ScanObject FromStream(string name, Func<CancellationToken, ValueTask<Stream>> open, long? length, bool isMessage)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(open);
        return new ScanObject(name, ScanObjectKind.Root, open)
        {
            FileName = System.IO.Path.GetFileName(name),
            DeclaredContentType = isMessage ? MessageContentType : null,
            Length = length,
        };
    }

    private static ValueTask<Stream> OpenFile(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stream stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        return ValueTask.FromResult(stream);
    }
}
