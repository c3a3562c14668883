using Moat.Scanning.Scanning;

namespace Moat.Cli.Commands;

/// <summary>How far <c>moat scan</c> has got, read by the progress bar while files are scanned in parallel.</summary>
internal sealed class ScanProgress
{
    private int filesDone;
    private int infected;
    private int errors;
    private long bytesDone;

    public ScanProgress(int files, long totalBytes, ActiveScans activeScans)
    {
        Files = files;
        TotalBytes = totalBytes;
        ActiveScans = activeScans;
    }

    public int Files { get; }

    public long TotalBytes { get; }

    /// <summary>The files being scanned now, with how far each has been read.</summary>
    public ActiveScans ActiveScans { get; }

    public int FilesDone => Volatile.Read(ref filesDone);

    public int Infected => Volatile.Read(ref infected);

    public int Errors => Volatile.Read(ref errors);

    /// <summary>Bytes of finished files plus how far the running scans have read, never more than the total.</summary>
    public long BytesDone => Math.Min(TotalBytes, Interlocked.Read(ref bytesDone) + ActiveScans.List().Sum(scan => scan.BytesDone));

    public void Finished(ScanFileResult result, long length)
    {
        Interlocked.Add(ref bytesDone, length);
        Interlocked.Increment(ref filesDone);
        if (result.Verdict == ScanFileVerdict.Infected)
        {
            Interlocked.Increment(ref infected);
        }
        else if (result.Verdict == ScanFileVerdict.Error)
        {
            Interlocked.Increment(ref errors);
        }
    }
}
