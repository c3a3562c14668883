using System.Collections.Concurrent;

namespace Moat.Scanning.Scanning;

/// <summary>
/// The scans running now, for the dashboard. One registry is shared by every scanner of the
/// process (register it once); a scan appears when it starts and disappears when it ends,
/// however it ends.
/// </summary>
public sealed class ActiveScans
{
    private readonly ConcurrentDictionary<long, ActiveScan> scans = new();
    private readonly TimeProvider timeProvider;
    private long lastId;

    public ActiveScans(TimeProvider? timeProvider = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    public int Count => scans.Count;

    /// <summary>The running scans, oldest first.</summary>
    public IReadOnlyList<ActiveScan> List() => scans.Values.OrderBy(scan => scan.Id).ToArray();

    internal ActiveScan Start(string name, long? totalBytes)
    {
        var scan = new ActiveScan(Interlocked.Increment(ref lastId), name, timeProvider.GetUtcNow(), totalBytes);
        scans[scan.Id] = scan;
        return scan;
    }

    internal void Finish(ActiveScan scan) => scans.TryRemove(scan.Id, out _);
}
