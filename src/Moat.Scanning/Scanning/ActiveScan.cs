namespace Moat.Scanning.Scanning;

/// <summary>
/// A scan in progress, as the dashboard sees it. The scanner updates it while engines and the
/// walker read; every property can be read from any thread at any time.
/// </summary>
public sealed class ActiveScan
{
    private long bytesDone;
    private int objectsScanned;
    private string? currentObject;

    internal ActiveScan(long id, string name, DateTimeOffset startedAt, long? totalBytes)
    {
        Id = id;
        Name = name;
        StartedAt = startedAt;
        TotalBytes = totalBytes;
    }

    /// <summary>Unique within the process, increasing.</summary>
    public long Id { get; }

    /// <summary>The root's path: the file or message being scanned.</summary>
    public string Name { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The root's length, when known.</summary>
    public long? TotalBytes { get; }

    /// <summary>How far into the root the furthest reader (walker or engine) has got.</summary>
    public long BytesDone => Interlocked.Read(ref bytesDone);

    /// <summary>Objects finished so far (the root and everything found inside it).</summary>
    public int ObjectsScanned => Volatile.Read(ref objectsScanned);

    /// <summary>The path of the object the engines are on now.</summary>
    public string? CurrentObject => Volatile.Read(ref currentObject);

    internal void ReportRootPosition(long position)
    {
        var seen = Interlocked.Read(ref bytesDone);
        while (position > seen)
        {
            var previous = Interlocked.CompareExchange(ref bytesDone, position, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    internal void StartObject(string path) => Volatile.Write(ref currentObject, path);

    internal void FinishObject() => Interlocked.Increment(ref objectsScanned);
}
