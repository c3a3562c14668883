using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Moat.Queue.Spool;

/// <summary>
/// The queue on disk. Layout below the root: <c>incoming|active|deferred|hold|corrupt/&lt;id&gt;</c>,
/// one queue file per message whose folder is its state; <c>tmp/</c> files being written. A queue
/// file is the content as received followed by envelope records (<see cref="SpoolRecord"/>). A
/// message exists once its file is in a state folder; it gets there complete and fsynced, by one
/// rename, so a crash leaves either no message or a whole one. State changes are single renames,
/// so they are atomic and two processes racing for one message cannot both win; changes of the
/// delivery state append a record to the file.
/// A spool of the format before version 2 (content in <c>content/&lt;id&gt;</c>, the envelope in
/// the state folder) is read as well and rewritten as queue files by <see cref="RecoverAsync"/>.
/// </summary>
public sealed class MessageSpool : IQueueWriter
{
    private const string TempFolderName = "tmp";
    private const string LegacyContentFolderName = "content";

    /// <summary>Once the appended records take this much room, an update rewrites the file with just the last one.</summary>
    private const long CompactAbove = 256 * 1024;

    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly TimeSpan tempGrace;

    // Open handles of the state folders, so that publishing fsyncs the folder without opening it
    // each time (two syscalls fewer per message). Closed with the spool's finalization.
    private readonly ConcurrentDictionary<QueueState, SafeFileHandle?> folderHandles = new();

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

    /// <summary>The queue file of a message in a state.</summary>
    public string MessagePath(QueueState state, string id) => Path.Combine(StateFolder(state), CheckId(id));

    public ValueTask<IMessageWriter> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = QueueId.New(Now);
        var tempPath = Path.Combine(Root, TempFolderName, id);
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
            if (File.Exists(MessagePath(state, id)))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>Reads and verifies the current envelope. Throws <see cref="CorruptMessageException"/> or <see cref="FileNotFoundException"/>.</summary>
    public Task<Envelope> ReadEnvelopeAsync(QueueState state, string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReadRecord(state, id).Envelope);
    }

    /// <summary>
    /// Reads the envelope and checks the content against its size and checksum, opening the file
    /// once (the queue manager, before every delivery attempt). Throws
    /// <see cref="CorruptMessageException"/> or <see cref="FileNotFoundException"/>.
    /// </summary>
    public async Task<Envelope> ReadVerifiedAsync(QueueState state, string id, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(MessagePath(state, id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        SpoolRecordInfo record;
        try
        {
            record = SpoolRecord.ReadLast(handle, id);
        }
        catch (CorruptMessageException) when (IsLegacy(handle, state, id))
        {
            var legacy = ReadLegacy(handle, id).Envelope;
            return await VerifyContentAsync(state, legacy, cancellationToken).ConfigureAwait(false)
                ? legacy
                : throw new CorruptMessageException(id, "content is missing or fails its checksum");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(record.ContentLength, 1, 64 * 1024));
        try
        {
            long offset = 0;
            while (offset < record.ContentLength)
            {
                var count = (int)Math.Min(buffer.Length, record.ContentLength - offset);
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, count), offset, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), record.Envelope.ContentSha256, StringComparison.Ordinal))
        {
            throw new CorruptMessageException(id, "content fails its checksum");
        }

        return record.Envelope;
    }

    /// <summary>
    /// Records a new delivery state: appends an envelope record to the message's queue file and
    /// fsyncs it. The queue manager does this to messages it owns (in active); the quarantine to
    /// held mail, for a new hold reason or recipients released on their own.
    /// </summary>
    public async Task WriteEnvelopeAsync(QueueState state, Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        cancellationToken.ThrowIfCancellationRequested();
        if (envelope.Legacy)
        {
            // Not converted at start-up (the rewrite failed then): convert it now, with the new state.
            await RewriteAsync(state, envelope.Id, GetContent(state, envelope), envelope, cancellationToken).ConfigureAwait(false);
            DeleteLegacyContent(envelope.Id);
            return;
        }

        var path = MessagePath(state, envelope.Id);
        SpoolRecordInfo current;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            current = SpoolRecord.ReadLast(handle, envelope.Id);
            var record = SpoolRecord.Serialize(envelope, current.ContentLength);
            if (current.RecordEnd - current.ContentLength + record.Length <= CompactAbove)
            {
                // Written where the last valid record ends: over a torn tail, if a crash left one.
                await RandomAccess.WriteAsync(handle, record, current.RecordEnd, cancellationToken).ConfigureAwait(false);
                var end = current.RecordEnd + record.Length;
                if (RandomAccess.GetLength(handle) > end)
                {
                    RandomAccess.SetLength(handle, end);
                }

                FlushToDisk(handle);
                return;
            }
        }

        // Many attempts with many recipients: start over with the content and this one record.
        await RewriteAsync(state, envelope.Id, new SpoolContent(path, current.ContentLength), envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives some of a message's recipients a copy of their own in <paramref name="target"/> and
    /// takes them off the original, which stays where it is for the others (a user releasing held
    /// mail releases it for themself, not for everyone it was sent to). The copy is durable before
    /// the original changes: a crash between the two leaves those recipients on both, never on
    /// neither. Returns the copy's queue id.
    /// </summary>
    /// <exception cref="ArgumentException">The chosen recipients are none or all of the message's.</exception>
    public async Task<string> SplitAsync(QueueState state, string id, Func<EnvelopeRecipient, bool> take, QueueState target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(take);
        var original = await ReadEnvelopeAsync(state, id, cancellationToken).ConfigureAwait(false);
        var taken = original.Recipients.Where(take).ToList();
        if (taken.Count == 0 || taken.Count == original.Recipients.Count)
        {
            throw new ArgumentException("A split needs some, not none or all, of the message's recipients.", nameof(take));
        }

        await using var writer = await CreateAsync(cancellationToken).ConfigureAwait(false);
        await using (var content = GetContent(state, original).OpenRead())
        {
            await content.CopyToAsync(writer.Content, cancellationToken).ConfigureAwait(false);
        }

        await writer.CommitAsync(
            new Envelope
            {
                Sender = original.Sender,
                Recipients = taken,
                Ret = original.Ret,
                EnvelopeId = original.EnvelopeId,
                ClientAddress = original.ClientAddress,
                HeloName = original.HeloName,
                Listener = original.Listener,
                ReceivedAt = original.ReceivedAt,
                LastError = original.LastError,
            },
            target,
            cancellationToken).ConfigureAwait(false);
        original.Recipients = original.Recipients.Where(r => !taken.Contains(r)).ToList();
        await WriteEnvelopeAsync(state, original, cancellationToken).ConfigureAwait(false);
        return writer.Id;
    }

    /// <summary>
    /// Moves a message from one state to another by renaming its file. Returns false when it is
    /// not in <paramref name="from"/> (someone else moved it first) or already exists in <paramref name="to"/>.
    /// </summary>
    public bool TryMove(string id, QueueState from, QueueState to) =>
        FileSync.RenameNoReplace(MessagePath(from, id), MessagePath(to, id)) == RenameResult.Renamed;

    /// <summary>Where the content of a message (read by <see cref="ReadEnvelopeAsync"/> in <paramref name="state"/>) is.</summary>
    public SpoolContent GetContent(QueueState state, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new SpoolContent(envelope.Legacy ? LegacyContentPath(state, envelope.Id) : MessagePath(state, envelope.Id), envelope.Size);
    }

    /// <summary>Opens the content of a message in a state for reading (streaming; the caller disposes).</summary>
    public Stream OpenContent(QueueState state, string id) => GetContent(state, ReadRecord(state, id).Envelope).OpenRead();

    /// <summary>Recomputes the content checksum and compares size and hash with the envelope.</summary>
    public async Task<bool> VerifyContentAsync(QueueState state, Envelope envelope, CancellationToken cancellationToken)
    {
        var content = GetContent(state, envelope);
        try
        {
            await using var file = OpenRead(content.Path);
            if (file.Length < content.Length || (envelope.Legacy && file.Length != content.Length))
            {
                return false;
            }

            await using var stream = new BoundedReadStream(file, content.Length);
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return string.Equals(Convert.ToHexStringLower(hash), envelope.ContentSha256, StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Deletes a message in a state. False when it is not there.</summary>
    public bool Delete(string id, QueueState state)
    {
        var path = MessagePath(state, id);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        DeleteLegacyContent(id);
        return true;
    }

    /// <summary>
    /// Deletes a message whose envelope was just read (the queue manager, after the last
    /// recipient): one unlink, and no sync — should a crash undo it, the message is delivered
    /// again rather than lost.
    /// </summary>
    public void Delete(Envelope envelope, QueueState state)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        File.Delete(MessagePath(state, envelope.Id));
        if (envelope.Legacy)
        {
            DeleteLegacyContent(envelope.Id);
        }
    }

    /// <summary>Moves a damaged message to corrupt and logs why.</summary>
    public void MoveToCorrupt(string id, QueueState from, string reason)
    {
        logger.LogWarning("Queue file {QueueId} in {State} is corrupt ({Reason}); moved to corrupt", id, from, reason);
        try
        {
            // An old-format message keeps its content beside it, as the old format did.
            var legacyContent = LegacyContentPath(from, id);
            if (File.Exists(legacyContent))
            {
                File.Move(legacyContent, LegacyContentPath(QueueState.Corrupt, id), overwrite: true);
            }

            if (File.Exists(MessagePath(from, id)))
            {
                File.Move(MessagePath(from, id), MessagePath(QueueState.Corrupt, id), overwrite: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not move queue file {QueueId} to corrupt", id);
        }
    }

    /// <summary>
    /// Start-up recovery: messages left in active go back to incoming, stale temp files are
    /// deleted, messages of the old two-file format are rewritten as one queue file each, and
    /// files without a valid envelope record go to corrupt. Never throws for a bad file.
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
        var migrated = 0;
        var stillLegacy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in new[] { QueueState.Incoming, QueueState.Deferred, QueueState.Hold })
        {
            foreach (var id in ListIds(state))
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var record = ReadRecord(state, id);
                    if (!record.Envelope.Legacy)
                    {
                        continue;
                    }

                    if (!await VerifyContentAsync(state, record.Envelope, cancellationToken).ConfigureAwait(false))
                    {
                        MoveToCorrupt(id, state, $"content is missing, not {record.Envelope.Size} bytes long or fails its checksum");
                        corrupt++;
                        continue;
                    }

                    try
                    {
                        await RewriteAsync(state, id, GetContent(state, record.Envelope), record.Envelope, cancellationToken).ConfigureAwait(false);
                        DeleteLegacyContent(id);
                        migrated++;
                    }
                    catch (IOException ex)
                    {
                        // Still readable as it is; the next start tries again.
                        logger.LogWarning(ex, "Could not rewrite queue file {QueueId} in the current format", id);
                        stillLegacy.Add(id);
                    }
                }
                catch (CorruptMessageException ex)
                {
                    MoveToCorrupt(id, state, ex.Reason);
                    corrupt++;
                }
                catch (FileNotFoundException)
                {
                    // Moved by someone else meanwhile: nothing to check.
                }
            }
        }

        var orphans = CleanLegacyContent(stillLegacy);
        var result = new SpoolRecoveryResult(returned, temps, orphans, corrupt, migrated);
        logger.LogInformation(
            "Queue recovery: {Returned} returned from active, {Temps} temp files and {Orphans} orphan contents deleted, {Corrupt} moved to corrupt, {Migrated} converted from the old two-file format",
            result.ReturnedFromActive, result.TempFilesDeleted, result.OrphanContentDeleted, result.MovedToCorrupt, result.Migrated);
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

    /// <summary>
    /// Publishes a complete, fsynced queue file: one rename into the state folder and one fsync of
    /// that folder. When this returns, the message survives a crash.
    /// </summary>
    internal void Publish(string id, string tempPath, QueueState target)
    {
        var result = FileSync.RenameNoReplace(tempPath, MessagePath(target, id));
        if (result != RenameResult.Renamed)
        {
            throw new IOException($"cannot publish {id} into {target}: {result}");
        }

        SyncFolder(target);
        MessagePublished?.Invoke(id, target);
    }

    private SpoolRecordInfo ReadRecord(QueueState state, string id)
    {
        using var handle = File.OpenHandle(MessagePath(state, id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return SpoolRecord.ReadLast(handle, id);
        }
        catch (CorruptMessageException) when (IsLegacy(handle, state, id))
        {
            return ReadLegacy(handle, id);
        }
    }

    // The old format: the file in the state folder is a "sha256:" line and JSON, and its content
    // is a separate file. A current queue file starts with the content, which a sender could make
    // look like that; it ends in a valid record, though, and is never taken for old.
    private bool IsLegacy(SafeFileHandle handle, QueueState state, string id)
    {
        Span<byte> start = stackalloc byte[LegacyEnvelopeSerializer.Prefix.Length];
        return RandomAccess.Read(handle, start, 0) == start.Length
            && start.SequenceEqual(Encoding.ASCII.GetBytes(LegacyEnvelopeSerializer.Prefix))
            && File.Exists(LegacyContentPath(state, id));
    }

    private static SpoolRecordInfo ReadLegacy(SafeFileHandle handle, string id)
    {
        var length = RandomAccess.GetLength(handle);
        if (length > SpoolRecord.MaxJsonBytes + 128)
        {
            throw new CorruptMessageException(id, "envelope is too large");
        }

        var bytes = new byte[length];
        var read = RandomAccess.Read(handle, bytes, 0);
        var envelope = LegacyEnvelopeSerializer.Deserialize(id, bytes.AsSpan(0, read));
        if (envelope.Id != id)
        {
            throw new CorruptMessageException(id, "envelope belongs to " + envelope.Id);
        }

        envelope.Legacy = true;
        return new SpoolRecordInfo(envelope, envelope.Size, -1);
    }

    private string LegacyContentPath(QueueState state, string id) => state == QueueState.Corrupt
        ? Path.Combine(StateFolder(QueueState.Corrupt), CheckId(id) + ".content")
        : Path.Combine(Root, LegacyContentFolderName, CheckId(id));

    /// <summary>Deletes what a message of the old format keeps beside its envelope, if anything.</summary>
    internal void DeleteLegacyContent(string id)
    {
        foreach (var state in new[] { QueueState.Incoming, QueueState.Corrupt })
        {
            try
            {
                File.Delete(LegacyContentPath(state, id));
            }
            catch (DirectoryNotFoundException)
            {
                // No spool of the old format here.
            }
        }
    }

    /// <summary>
    /// Deletes old-format content files that no old-format message refers to any more (converted,
    /// or their envelope was never published), and the old content folder once it is empty.
    /// </summary>
    private int CleanLegacyContent(HashSet<string> stillLegacy)
    {
        var folder = Path.Combine(Root, LegacyContentFolderName);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (!stillLegacy.Contains(Path.GetFileName(path)))
            {
                File.Delete(path);
                deleted++;
            }
        }

        if (stillLegacy.Count == 0 && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return deleted;
    }

    /// <summary>Writes content + one record to a temp file, fsyncs it and renames it over the message's queue file.</summary>
    private async Task RewriteAsync(QueueState state, string id, SpoolContent content, Envelope envelope, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Root, TempFolderName, id + "." + Guid.NewGuid().ToString("N"));
        writing[temp] = 0;
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await using (var source = content.OpenRead())
                {
                    await source.CopyToAsync(target, 64 * 1024, cancellationToken).ConfigureAwait(false);
                }

                if (target.Length != content.Length)
                {
                    throw new CorruptMessageException(id, "content is shorter than its envelope says");
                }

                envelope.Legacy = false;
                await target.WriteAsync(SpoolRecord.Serialize(envelope, content.Length), cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }

            File.Move(temp, MessagePath(state, id), overwrite: true);
            SyncFolder(state);
        }
        finally
        {
            File.Delete(temp);
            writing.TryRemove(temp, out _);
        }
    }

    private void SyncFolder(QueueState state)
    {
        var handle = folderHandles.GetOrAdd(state, s => FileSync.OpenDirectory(StateFolder(s)));
        FileSync.SyncDirectory(handle, StateFolder(state));
    }

    private static void FlushToDisk(SafeFileHandle handle)
    {
        using var stream = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
        stream.Flush(flushToDisk: true);
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

    private static string CheckId(string id) =>
        QueueId.IsValid(id) ? id : throw new ArgumentException($"'{id}' is not a queue id", nameof(id));

    private void EnsureFolders()
    {
        Directory.CreateDirectory(Path.Combine(Root, TempFolderName));
        foreach (var state in AllStates)
        {
            Directory.CreateDirectory(StateFolder(state));
        }
    }
}
