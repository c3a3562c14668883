namespace Moat.Queue.Spool;

/// <summary>
/// Where a queued message's content is: the first <see cref="Length"/> bytes of <see cref="Path"/>
/// (the queue file itself, whose envelope records follow the content; or, for a message still in
/// the format before version 2, its separate content file).
/// </summary>
public sealed record SpoolContent(string Path, long Length)
{
    /// <summary>A read-only, seekable stream of exactly the content; the caller disposes it.</summary>
    public Stream OpenRead() => new BoundedReadStream(MessageSpool.OpenRead(Path), Length);
}
