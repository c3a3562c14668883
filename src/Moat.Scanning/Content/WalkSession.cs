using Microsoft.Extensions.Logging;

namespace Moat.Scanning.Content;

/// <summary>
/// The state of one walk: limits and what has been used of them, violations, the content hashes
/// already yielded, and the temp files to delete when the walk ends.
/// </summary>
internal sealed class WalkSession : IAsyncDisposable
{
    // Below this many bytes a member is never called a bomb: small files of zeros compress very well too.
    private const long RatioFloorBytes = 1 << 20;

    private const int CopyBufferSize = 64 * 1024;

    private readonly ICollection<LimitViolation> _violations;
    private readonly HashSet<string> _seenHashes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly HashSet<object> _expanded = new(ReferenceEqualityComparer.Instance);
    private string? _tempDirectory;
    private int _tempCounter;

    public WalkSession(ScanLimits limits, ICollection<LimitViolation> violations, ILogger? logger, long? rootLength)
    {
        Limits = limits;
        _violations = violations;
        Logger = logger;
        RootLength = rootLength;
    }

    public ScanLimits Limits { get; }

    public ILogger? Logger { get; }

    public long? RootLength { get; }

    public int ObjectCount { get; private set; }

    public long TotalBytes { get; private set; }

    /// <summary>A walk-wide limit was hit: nothing more is expanded.</summary>
    public bool Stopped { get; private set; }

    public void AddViolation(string limit, string path, string detail)
    {
        // One violation per limit and place is enough; a bomb must not flood the list.
        if (_reported.Add(limit + "\n" + path))
        {
            _violations.Add(new LimitViolation(limit, path, detail));
            Logger?.LogInformation("Content walk limit {Limit} at {Path}: {Detail}", limit, path, detail);
        }
    }

    /// <summary>Counts one more object; false (and a violation) once the object limit is reached.</summary>
    public bool TryAddObject(string path)
    {
        if (Stopped)
        {
            return false;
        }

        if (ObjectCount >= Limits.MaxObjects)
        {
            AddViolation(LimitNames.Objects, path, $"more than {Limits.MaxObjects} objects");
            Stopped = true;
            return false;
        }

        ObjectCount++;
        return true;
    }

    /// <summary>True the first time a content hash is seen: alternative decodings that agree are yielded once.</summary>
    public bool IsNewContent(string hash) => _seenHashes.Add(hash);

    public void MarkSeen(string hash) => _seenHashes.Add(hash);

    /// <summary>True the first time a piece of content is expanded.</summary>
    public bool TryMarkExpanded(object content) => _expanded.Add(content);

    public string CreateTempFile()
    {
        _tempDirectory ??= Directory.CreateDirectory(
            System.IO.Path.Combine(System.IO.Path.GetTempPath(), "moat-walk-" + Guid.NewGuid().ToString("N"))).FullName;
        return System.IO.Path.Combine(_tempDirectory, (++_tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Copies decoded bytes from <paramref name="source"/> within the limits. A source that fails
    /// part-way (damaged archive, bad encoding) leaves what was read and a violation named
    /// <paramref name="damageLimit"/>; a limit cuts the copy and records why.
    /// </summary>
    public async ValueTask<CopyResult> CopyAsync(
        Stream source, string path, long? compressedLength, string damageLimit, CancellationToken cancellationToken)
    {
        await using var sink = CreateSink(path, compressedLength);
        // Pooled: every part and member is copied, and 80 KiB apiece was most of a small message's garbage.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken);
                if (read == 0 || !await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AddViolation(damageLimit, path, ex.Message);
            sink.Incomplete = true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return await sink.CompleteAsync();
    }

    /// <summary>A place to write one object's decoded bytes, bounded by the limits.</summary>
    public ContentSink CreateSink(string path, long? compressedLength = null)
    {
        var memberCap = compressedLength is > 0
            ? Math.Max(RatioFloorBytes, (long)Math.Min(long.MaxValue / 2, compressedLength.Value * Limits.MaxExpansionRatio))
            : long.MaxValue;
        return new ContentSink(this, path, memberCap, compressedLength);
    }

    internal void AddTotal(long bytes) => TotalBytes += bytes;

    /// <summary>
    /// How many of <paramref name="next"/> more bytes still fit the limits; when not all of them do,
    /// the violation is recorded (and a walk-wide limit stops the walk).
    /// </summary>
    internal long Allowance(long written, int next, long memberCap, string path, long? compressedLength)
    {
        var rootCap = RootLength is > 0
            ? Math.Max(16L * RatioFloorBytes, (long)Math.Min(long.MaxValue / 2, RootLength.Value * Limits.MaxExpansionRatio))
            : long.MaxValue;
        var objectRoom = Limits.MaxObjectBytes - written;
        var memberRoom = memberCap - written;
        var totalRoom = Limits.MaxTotalBytes - TotalBytes;
        var rootRoom = rootCap - TotalBytes;
        var allowed = Math.Max(0, Math.Min(Math.Min(objectRoom, memberRoom), Math.Min(totalRoom, rootRoom)));
        if (allowed >= next)
        {
            return next;
        }

        if (objectRoom == allowed)
        {
            AddViolation(LimitNames.ObjectBytes, path, $"object larger than {Limits.MaxObjectBytes} bytes");
        }
        else if (memberRoom == allowed)
        {
            AddViolation(LimitNames.ExpansionRatio, path,
                $"expands more than {Limits.MaxExpansionRatio}x its compressed size of {compressedLength} bytes");
        }
        else if (totalRoom == allowed)
        {
            AddViolation(LimitNames.TotalBytes, path, $"walk decoded more than {Limits.MaxTotalBytes} bytes");
            Stopped = true;
        }
        else
        {
            AddViolation(LimitNames.ExpansionRatio, path,
                $"walk decoded more than {Limits.MaxExpansionRatio}x the {RootLength} bytes it was given");
            Stopped = true;
        }

        return allowed;
    }

    public ValueTask DisposeAsync()
    {
        if (_tempDirectory is not null)
        {
            try
            {
                Directory.Delete(_tempDirectory, recursive: true);
            }
            catch (IOException ex)
            {
                Logger?.LogWarning(ex, "Could not delete the walk's temp folder {Folder}", _tempDirectory);
            }
            catch (UnauthorizedAccessException ex)
            {
                Logger?.LogWarning(ex, "Could not delete the walk's temp folder {Folder}", _tempDirectory);
            }
        }

        return ValueTask.CompletedTask;
    }
}
