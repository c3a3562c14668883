using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using SharpCompress.Archives;
using SharpCompress.Archives.Rar;
using SharpCompress.Archives.SevenZip;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using SharpCompress.Readers;

namespace Moat.Scanning.Content;

/// <summary>
/// Lists the members of zip, gzip, tar, bzip2, xz, 7z and rar archives (found by magic bytes).
/// Every member's bytes pass through the walk's limits; a damaged archive yields the members that
/// could be read and a "damaged-archive" violation.
/// </summary>
internal static class ArchiveExpander
{
    public static async IAsyncEnumerable<ScanObject> ExpandAsync(
        WalkSession session, ScanObject archive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await FileMagic.ReadHeadAsync(archive, cancellationToken);
        var kind = FileMagic.Detect(head);
        var members = kind switch
        {
            FileKind.Zip => ExpandZipAsync(session, archive, cancellationToken),
            FileKind.GZip => ExpandSingleAsync(session, archive, s => new GZipStream(s, System.IO.Compression.CompressionMode.Decompress), ".gz", cancellationToken),
            FileKind.BZip2 => ExpandSingleAsync(session, archive, s => BZip2Stream.Create(s, SharpCompress.Compressors.CompressionMode.Decompress, true, false, true), ".bz2", cancellationToken),
            FileKind.Xz => ExpandSingleAsync(session, archive, s => new XZStream(s), ".xz", cancellationToken),
            FileKind.Tar => ExpandTarAsync(session, archive, cancellationToken),
            FileKind.SevenZip => ExpandSharpCompressAsync(session, archive, s => SevenZipArchive.OpenArchive(s, new ReaderOptions()), cancellationToken),
            FileKind.Rar => ExpandSharpCompressAsync(session, archive, s => RarArchive.OpenArchive(s, new ReaderOptions()), cancellationToken),
            _ => AsyncEnumerable.Empty<ScanObject>(),
        };

        await foreach (var member in members)
        {
            yield return member;
        }
    }

    private static async IAsyncEnumerable<ScanObject> ExpandZipAsync(
        WalkSession session, ScanObject archive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await OpenSeekableAsync(session, archive, cancellationToken);
        ZipArchive? zip = null;
        List<ZipArchiveEntry> entries = [];
        try
        {
            zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            entries = zip.Entries.ToList();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            // No readable central directory (truncated or damaged): read the local headers front to back instead.
            session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
            if (zip is not null)
            {
                await zip.DisposeAsync();
                zip = null;
            }
        }

        if (zip is null)
        {
            stream.Position = 0;
            await foreach (var member in ExpandWithReaderAsync(session, archive, stream, cancellationToken))
            {
                yield return member;
            }

            yield break;
        }

        await using (zip)
        {
            foreach (var entry in entries)
            {
                if (session.Stopped)
                {
                    yield break;
                }

                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var path = $"{archive.Path} › {entry.FullName}";
                if (entry.IsEncrypted)
                {
                    yield return Encrypted(archive, path, entry.FullName);
                    continue;
                }

                CopyResult copy;
                try
                {
                    await using var member = await entry.OpenAsync(cancellationToken);
                    copy = await session.CopyAsync(member, path, entry.CompressedLength, LimitNames.DamagedArchive, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    session.AddViolation(LimitNames.DamagedArchive, path, ex.Message);
                    continue;
                }

                yield return Member(archive, path, entry.FullName, copy);
            }
        }
    }

    private static async IAsyncEnumerable<ScanObject> ExpandWithReaderAsync(
        WalkSession session, ScanObject archive, Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReader? reader = null;
        try
        {
            reader = ReaderFactory.OpenReader(stream, new ReaderOptions { LeaveStreamOpen = true });
        }
        catch (Exception ex)
        {
            session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
        }

        if (reader is null)
        {
            yield break;
        }

        using (reader)
        {
            while (!session.Stopped)
            {
                bool more;
                try
                {
                    more = reader.MoveToNextEntry();
                }
                catch (Exception ex)
                {
                    session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
                    break;
                }

                if (!more)
                {
                    break;
                }

                var entry = reader.Entry;
                if (entry.IsDirectory || entry.Key is null)
                {
                    continue;
                }

                var path = $"{archive.Path} › {entry.Key}";
                if (entry.IsEncrypted)
                {
                    yield return Encrypted(archive, path, entry.Key);
                    continue;
                }

                CopyResult copy;
                try
                {
                    await using var member = reader.OpenEntryStream();
                    copy = await session.CopyAsync(member, path, entry.CompressedSize, LimitNames.DamagedArchive, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    session.AddViolation(LimitNames.DamagedArchive, path, ex.Message);
                    break;
                }

                yield return Member(archive, path, entry.Key, copy);
                if (!copy.Complete)
                {
                    // A streaming reader cannot skip past a member it could not finish.
                    break;
                }
            }
        }
    }

    private static async IAsyncEnumerable<ScanObject> ExpandSingleAsync(
        WalkSession session, ScanObject archive, Func<Stream, Stream> decompress, string extension,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = archive.FileName is { } n && n.EndsWith(extension, StringComparison.OrdinalIgnoreCase)
            ? n[..^extension.Length]
            : archive.FileName is { } t && t.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? t[..^4] + ".tar" : null;
        var path = $"{archive.Path} › {name ?? "(decompressed)"}";
        CopyResult copy;
        await using (var stream = await archive.Open(cancellationToken))
        {
            var compressed = archive.Length ?? (stream.CanSeek ? stream.Length : null);
            Stream? decompressed = null;
            try
            {
                decompressed = decompress(stream);
            }
            catch (Exception ex)
            {
                session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
            }

            if (decompressed is null)
            {
                yield break;
            }

            await using (decompressed)
            {
                copy = await session.CopyAsync(decompressed, path, compressed, LimitNames.DamagedArchive, cancellationToken);
            }
        }

        yield return Member(archive, path, name, copy);
    }

    private static async IAsyncEnumerable<ScanObject> ExpandTarAsync(
        WalkSession session, ScanObject archive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await archive.Open(cancellationToken);
        await using var reader = new TarReader(stream, leaveOpen: true);
        while (!session.Stopped)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
                break;
            }

            if (entry is null)
            {
                break;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                || entry.DataStream is null)
            {
                continue;
            }

            var path = $"{archive.Path} › {entry.Name}";
            var copy = await session.CopyAsync(entry.DataStream, path, null, LimitNames.DamagedArchive, cancellationToken);
            yield return Member(archive, path, entry.Name, copy);
            if (!copy.Complete)
            {
                break;
            }
        }
    }

    private static async IAsyncEnumerable<ScanObject> ExpandSharpCompressAsync(
        WalkSession session, ScanObject archive, Func<Stream, IArchive> open, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await OpenSeekableAsync(session, archive, cancellationToken);
        IArchive? opened = null;
        List<IArchiveEntry> entries = [];
        try
        {
            opened = open(stream);
            entries = opened.Entries.ToList();
        }
        catch (Exception ex)
        {
            session.AddViolation(LimitNames.DamagedArchive, archive.Path, ex.Message);
        }

        if (opened is null)
        {
            yield break;
        }

        using (opened)
        {
            foreach (var entry in entries)
            {
                if (session.Stopped)
                {
                    yield break;
                }

                if (entry.IsDirectory || entry.Key is null)
                {
                    continue;
                }

                var path = $"{archive.Path} › {entry.Key}";
                if (entry.IsEncrypted)
                {
                    yield return Encrypted(archive, path, entry.Key);
                    continue;
                }

                CopyResult copy;
                try
                {
                    await using var member = await entry.OpenEntryStreamAsync(cancellationToken);
                    copy = await session.CopyAsync(member, path, entry.CompressedSize, LimitNames.DamagedArchive, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    session.AddViolation(LimitNames.DamagedArchive, path, ex.Message);
                    continue;
                }

                yield return Member(archive, path, entry.Key, copy);
            }
        }
    }

    /// <summary>Archive readers need to seek; content that cannot is spooled first (within the limits).</summary>
    private static async ValueTask<Stream> OpenSeekableAsync(WalkSession session, ScanObject archive, CancellationToken cancellationToken)
    {
        var stream = await archive.Open(cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        await using (stream)
        {
            var copy = await session.CopyAsync(stream, archive.Path, null, LimitNames.DamagedArchive, cancellationToken);
            return await copy.Content.OpenAsync(cancellationToken);
        }
    }

    private static ScanObject Member(ScanObject archive, string path, string? name, CopyResult copy) =>
        new(path, ScanObjectKind.ArchiveEntry, copy.Content.OpenAsync)
        {
            FileName = name,
            Length = copy.Content.Length,
            Depth = archive.Depth + 1,
        };

    private static ScanObject Encrypted(ScanObject archive, string path, string name) =>
        new(path, ScanObjectKind.ArchiveEntry, _ => ValueTask.FromResult<Stream>(new MemoryStream([], writable: false)))
        {
            FileName = name,
            Length = 0,
            Depth = archive.Depth + 1,
            IsEncrypted = true,
        };
}
