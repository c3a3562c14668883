using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moat.Queue.Spool;

/// <summary>
/// The queue on disk. Layout below the root:
/// <c>content/&lt;id&gt;</c> the raw message, written once and never changed;
/// <c>incoming|active|deferred|hold|corrupt/&lt;id&gt;</c> the envelope file, whose folder is the state;
/// <c>tmp/</c> files being written. A message exists once its envelope is in a state folder; the
/// content is published first, so a crash leaves either no message or a complete one. State
/// changes are single renames of the small envelope file, so they are atomic and two processes
/// racing for one message cannot both win.
/// </summary>
public sealed class MessageSpool : IQueueWriter
{
    private const string TempFolderName = "tmp";
    private const string ContentFolderName = "content";
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly TimeSpan tempGrace;

    // Temp files this process is writing right now: never cleaned, whatever their age. Static,
    // because the SMTP side and the queue manager may use different spool instances.
    private static readonly ConcurrentDictionary<string, byte> writing = new(StringComparer.Ordinal);

    public MessageSpool(QueueOptions options, ILogger<MessageSpool>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = Path.GetFullPath(options.Folder);
        tempGrace = options.TempFileGrace;
        this.logger = logger ?? NullLogger<MessageSpool>.Instance;
        time = timeProvider ?? TimeProvider.System;
        EnsureFolders();
    }

    /// <summary>Raised after a message was published (committed) by this process; the queue manager listens to start at once.</summary>
    public event Action<string, QueueState>? MessagePublished;

    public string Root { get; }

    internal DateTimeOffset Now => time.GetUtcNow();

    public static IReadOnlyList<QueueState> AllStates { get; } =
        [QueueState.Incoming, QueueState.Active, QueueState.Deferred, QueueState.Hold, QueueState.Corrupt];

    public string StateFolder(QueueState state) => Path.Combine(Root, state.ToString().ToLowerInvariant());

    public string EnvelopePath(QueueState state, string id) => Path.Combine(StateFolder(state), CheckId(id));

    public string ContentPath(string id) => Path.Combine(Root, ContentFolderName, CheckId(id));

    public ValueTask<IMessageWriter> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = QueueId.New(Now);
        var tempPath = Path.Combine(Root, TempFolderName, id + ".content");
        writing[tempPath] = 0;
        try
        {
            IMessageWriter writer = new SpoolMessageWriter(this, id, tempPath);
            return ValueTask.FromResult(writer);
        }
        catch
        {
            writing.TryRemove(tempPath, out _);
            throw;
        }
    }

    /// <summary>Ids in a state, oldest first.</summary>
    public IReadOnlyList<string> ListIds(QueueState state)
    {
        var ids = new List<string>();
        foreach (var path in Directory.EnumerateFiles(StateFolder(state)))
        {
            var name = Path.GetFileName(path);
            if (QueueId.IsValid(name))
            {
                ids.Add(name);
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Which state the message is in, or null when it does not exist.</summary>
    public QueueState? FindState(string id)
    {
        foreach (var state in AllStates)
        {
            if (File.Exists(EnvelopePath(state, id)))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>Reads and verifies an envelope. Throws <see cref="CorruptMessageException"/> or <see cref="FileNotFoundException"/>.</summary>
    public async Task<Envelope> ReadEnvelopeAsync(QueueState state, string id, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(EnvelopePath(state, id), cancellationToken).ConfigureAwait(false);
        var envelope = EnvelopeSerializer.Deserialize(id, bytes);
        if (envelope.Id != id)
        {
            throw new CorruptMessageException(id, "envelope belongs to " + envelope.Id);
        }

        return envelope;
    }

    /// <summary>Replaces the envelope of a message atomically (write temp, fsync, rename over).</summary>
    public async Task WriteEnvelopeAsync(QueueState state, Envelope envelope, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Root, TempFolderName, envelope.Id + "." + Guid.NewGuid().ToString("N") + ".envelope");
        writing[temp] = 0;
        try
        {
            await WriteDurablyAsync(temp, EnvelopeSerializer.Serialize(envelope), cancellationToken).ConfigureAwait(false);
            File.Move(temp, EnvelopePath(state, envelope.Id), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
            writing.TryRemove(temp, out _);
        }

        FileSync.SyncDirectory(StateFolder(state));
    }

    /// <summary>
    /// Moves a message from one state to another by renaming its envelope. Returns false when it is
    /// not in <paramref name="from"/> (someone else moved it first) or already exists in <paramref name="to"/>.
    /// </summary>
    public bool TryMove(string id, QueueState from, QueueState to)
    {
        try
        {
            File.Move(EnvelopePath(from, id), EnvelopePath(to, id), overwrite: false);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException) when (File.Exists(EnvelopePath(to, id)))
        {
            return false;
        }
    }

    /// <summary>Opens the content for reading (streaming; the caller disposes).</summary>
    public Stream OpenContent(string id) => OpenRead(ContentPath(id));

    /// <summary>Recomputes the content checksum and compares size and hash with the envelope.</summary>
    public async Task<bool> VerifyContentAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = OpenContent(envelope.Id);
            if (stream.Length != envelope.Size)
            {
                return false;
            }

            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return string.Equals(Convert.ToHexStringLower(hash), envelope.ContentSha256, StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Deletes a message in a state: the envelope first (so it stops existing), then the content.</summary>
    public bool Delete(string id, QueueState state)
    {
        var path = EnvelopePath(state, id);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        File.Delete(ContentPath(id));
        return true;
    }

    /// <summary>Moves a damaged message to corrupt (envelope and content side by side) and logs why.</summary>
    public void MoveToCorrupt(string id, QueueState from, string reason)
    {
        logger.LogWarning("Queue file {QueueId} in {State} is corrupt ({Reason}); moved to corrupt", id, from, reason);
        try
        {
            if (File.Exists(ContentPath(id)))
            {
                File.Move(ContentPath(id), Path.Combine(StateFolder(QueueState.Corrupt), id + ".content"), overwrite: true);
            }

            if (File.Exists(EnvelopePath(from, id)))
            {
                File.Move(EnvelopePath(from, id), EnvelopePath(QueueState.Corrupt, id), overwrite: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not move queue file {QueueId} to corrupt", id);
        }
    }

    /// <summary>
    /// Start-up recovery: messages left in active go back to incoming, stale temp files and content
    /// without an envelope are deleted, and envelopes that fail their checksum or whose content is
    /// missing or of the wrong size go to corrupt. Never throws for a bad file.
    /// </summary>
    public async Task<SpoolRecoveryResult> RecoverAsync(CancellationToken cancellationToken)
    {
        EnsureFolders();
        var returned = 0;
        foreach (var id in ListIds(QueueState.Active))
        {
            if (TryMove(id, QueueState.Active, QueueState.Incoming))
            {
                returned++;
            }
        }

        var temps = CleanTempFiles();
        var corrupt = 0;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in new[] { QueueState.Incoming, QueueState.Deferred, QueueState.Hold })
        {
            foreach (var id in ListIds(state))
            {
                cancellationToken.ThrowIfCancellationRequested();
                known.Add(id);
                var reason = await CheckAsync(state, id, cancellationToken).ConfigureAwait(false);
                if (reason is not null)
                {
                    MoveToCorrupt(id, state, reason);
                    corrupt++;
                }
            }
        }

        var orphans = 0;
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, ContentFolderName)))
        {
            var id = Path.GetFileName(path);
            if (!known.Contains(id) && FindState(id) is null && IsStale(path))
            {
                File.Delete(path);
                orphans++;
            }
        }

        var result = new SpoolRecoveryResult(returned, temps, orphans, corrupt);
        logger.LogInformation(
            "Queue recovery: {Returned} returned from active, {Temps} temp files and {Orphans} orphan contents deleted, {Corrupt} moved to corrupt",
            result.ReturnedFromActive, result.TempFilesDeleted, result.OrphanContentDeleted, result.MovedToCorrupt);
        return result;
    }

    /// <summary>
    /// Deletes temp files older than the grace period, except those this process is writing.
    /// (A writer in another process keeps touching its file, so it stays younger than the grace.)
    /// </summary>
    public int CleanTempFiles()
    {
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, TempFolderName)))
        {
            if (!writing.ContainsKey(path) && IsStale(path))
            {
                try
                {
                    File.Delete(path);
                    deleted++;
                }
                catch (IOException ex)
                {
                    logger.LogWarning(ex, "Could not delete temp file {Path}", path);
                }
            }
        }

        return deleted;
    }

    internal static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = 64 * 1024,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    /// <summary>A writer finished (committed or aborted): its temp file is no longer protected from cleanup.</summary>
    internal static void ForgetTemp(string tempPath) => writing.TryRemove(tempPath, out _);

    internal async Task PublishAsync(string id, string tempContentPath, Envelope envelope, QueueState target, CancellationToken cancellationToken)
    {
        // Order matters: content first, then the envelope that makes the message exist. Each
        // rename is made durable by syncing its folder before the next step and before returning.
        File.Move(tempContentPath, ContentPath(id));
        FileSync.SyncDirectory(Path.Combine(Root, ContentFolderName));

        var tempEnvelope = Path.Combine(Root, TempFolderName, id + ".envelope");
        writing[tempEnvelope] = 0;
        try
        {
            await WriteDurablyAsync(tempEnvelope, EnvelopeSerializer.Serialize(envelope), cancellationToken).ConfigureAwait(false);
            File.Move(tempEnvelope, EnvelopePath(target, id));
            FileSync.SyncDirectory(StateFolder(target));
        }
        catch
        {
            File.Delete(tempEnvelope);
            File.Delete(ContentPath(id));
            throw;
        }
        finally
        {
            writing.TryRemove(tempEnvelope, out _);
        }

        MessagePublished?.Invoke(id, target);
    }

    private async Task<string?> CheckAsync(QueueState state, string id, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await ReadEnvelopeAsync(state, id, cancellationToken).ConfigureAwait(false);
            var content = new FileInfo(ContentPath(id));
            if (!content.Exists)
            {
                return "content file is missing";
            }

            return content.Length != envelope.Size ? $"content is {content.Length} bytes, envelope says {envelope.Size}" : null;
        }
        catch (CorruptMessageException ex)
        {
            return ex.Reason;
        }
        catch (FileNotFoundException)
        {
            // Moved by someone else meanwhile: nothing to check.
            return null;
        }
    }

    private bool IsStale(string path)
    {
        try
        {
            return Now - File.GetLastWriteTimeUtc(path) >= tempGrace;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    private static string CheckId(string id) =>
        QueueId.IsValid(id) ? id : throw new ArgumentException($"'{id}' is not a queue id", nameof(id));

    private void EnsureFolders()
    {
        Directory.CreateDirectory(Path.Combine(Root, TempFolderName));
        Directory.CreateDirectory(Path.Combine(Root, ContentFolderName));
        foreach (var state in AllStates)
        {
            Directory.CreateDirectory(StateFolder(state));
        }
    }
}
