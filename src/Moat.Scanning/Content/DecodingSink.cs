namespace Moat.Scanning.Content;

/// <summary>
/// A <see cref="ContentSink"/> for decoded bytes: batches them, remembers the first ones for magic
/// detection, and gives up early on a decoding that can no longer be worth keeping.
/// </summary>
internal sealed class DecodingSink : IAsyncDisposable
{
    private static readonly byte[] ZipLocalHeader = "PK\x03\x04"u8.ToArray();

    private readonly ContentSink _sink;
    private const int BatchSize = 8192;

    private const int CopyBufferSize = 64 * 1024;

    // Rented on the first byte: most alternative decodings are given up after a few bytes or never
    // start, and a raw message can start a dozen of them (one per reading of each base64-looking run).
    private byte[]? _batch;
    // Pooled and rented on the first byte too, for the same reason as the batch.
    private byte[]? _head;
    private readonly long _cap;
    private readonly bool _requireMagic;
    private int _batched;
    private int _headLength;

    /// <param name="sink">Where the bytes go.</param>
    /// <param name="cap">
    /// Alternative decodings give up silently past this size: they exist for tricks on attachments, and
    /// the primary decoding of the same text is still bounded only by the walk's limits.
    /// </param>
    /// <param name="requireMagic">
    /// An unnamed decoding (a base64 run, a guessed encoding) is only kept when it starts like a known
    /// file or has a zip header in its first bytes: once those bytes show neither, writing stops.
    /// </param>
    public DecodingSink(ContentSink sink, long cap = long.MaxValue, bool requireMagic = false)
    {
        _sink = sink;
        _cap = cap;
        _requireMagic = requireMagic;
    }

    public long Length => _sink.Length + _batched;

    /// <summary>The decoding grew past its cap, or showed no magic, and was given up.</summary>
    public bool Abandoned { get; private set; }

    public async ValueTask AddRangeAsync(List<byte> values, CancellationToken cancellationToken)
    {
        // Until the head is known, runs that end where the head does, so it is judged the moment it
        // is complete; after that, whole batches. (Byte by byte, the heads of the many readings of
        // every base64-looking run were a quarter of the scan of a plain text message.)
        var index = 0;
        while (index < values.Count && _headLength < FileMagic.HeadLength && !Abandoned)
        {
            if (Length >= _cap)
            {
                Abandoned = true;
                break;
            }

            _head ??= System.Buffers.ArrayPool<byte>.Shared.Rent(FileMagic.HeadLength);
            var batch = _batch ??= System.Buffers.ArrayPool<byte>.Shared.Rent(BatchSize);
            var count = (int)Math.Min(Math.Min(values.Count - index, FileMagic.HeadLength - _headLength), Math.Min(BatchSize - _batched, _cap - Length));
            var run = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).Slice(index, count);
            run.CopyTo(_head.AsSpan(_headLength));
            _headLength += count;
            index += count;
            if (_headLength == FileMagic.HeadLength && _requireMagic && !HeadIsInteresting())
            {
                Abandoned = true;
                break;
            }

            run.CopyTo(batch.AsSpan(_batched));
            _batched += count;
            if (_batched == BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        while (index < values.Count && !Abandoned)
        {
            if (Length >= _cap)
            {
                Abandoned = true;
                break;
            }

            var batch = _batch ??= System.Buffers.ArrayPool<byte>.Shared.Rent(BatchSize);
            var count = (int)Math.Min(Math.Min(values.Count - index, BatchSize - _batched), _cap - Length);
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).Slice(index, count).CopyTo(batch.AsSpan(_batched));
            _batched += count;
            index += count;
            if (_batched == BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }
    }

    public ValueTask AddAsync(byte value, CancellationToken cancellationToken)
    {
        if (Abandoned)
        {
            return ValueTask.CompletedTask;
        }

        if (Length >= _cap)
        {
            Abandoned = true;
            return ValueTask.CompletedTask;
        }

        if (_headLength < FileMagic.HeadLength)
        {
            _head ??= System.Buffers.ArrayPool<byte>.Shared.Rent(FileMagic.HeadLength);
            _head[_headLength++] = value;
            if (_headLength == FileMagic.HeadLength && _requireMagic && !HeadIsInteresting())
            {
                Abandoned = true;
                return ValueTask.CompletedTask;
            }
        }

        _batch ??= System.Buffers.ArrayPool<byte>.Shared.Rent(BatchSize);
        _batch[_batched++] = value;
        return _batched == BatchSize ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Starts this decoding with everything <paramref name="source"/> has decoded so far (they agreed up to here).</summary>
    public async ValueTask CopyPrefixFromAsync(DecodingSink source, CancellationToken cancellationToken)
    {
        await source.FlushAsync(cancellationToken);
        if (source.Abandoned)
        {
            Abandoned = true;
            return;
        }

        if (source._headLength > 0)
        {
            _head ??= System.Buffers.ArrayPool<byte>.Shared.Rent(FileMagic.HeadLength);
            source._head.AsSpan(0, source._headLength).CopyTo(_head);
        }

        _headLength = source._headLength;
        var remaining = source._sink.Length;
        await using var prefix = await source._sink.OpenWrittenAsync(cancellationToken);
        // Pooled: readings part ways at the padding of nearly every base64 run, each with its own copy.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (remaining > 0)
            {
                var read = await prefix.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
                if (Length + read > _cap || !await _sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken))
                {
                    Abandoned = true;
                    return;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask<(CopyResult Copy, FileKind Kind)> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var kind = Abandoned ? FileKind.Unknown : FileMagic.Detect(_head.AsSpan(0, _headLength));
        return (await _sink.CompleteAsync(), kind);
    }

    /// <summary>Completes into a <see cref="DecodedBlock"/>; an abandoned decoding counts as nothing recognisable.</summary>
    public async ValueTask<DecodedBlock> ToBlockAsync(string encoding, string? fileName, bool named, CancellationToken cancellationToken)
    {
        var (copy, kind) = await CompleteAsync(cancellationToken);
        return new DecodedBlock(copy, encoding, fileName, named && !Abandoned, kind, Abandoned);
    }

    public ValueTask DisposeAsync()
    {
        if (_batch is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_batch);
            _batch = null;
        }

        if (_head is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_head);
            _head = null;
            _headLength = 0;
        }

        return _sink.DisposeAsync();
    }

    private bool HeadIsInteresting()
    {
        var head = _head.AsSpan(0, _headLength);
        return FileMagic.Detect(head) != FileKind.Unknown || head.IndexOf(ZipLocalHeader) >= 0;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_batched > 0)
        {
            await _sink.WriteAsync(_batch!.AsMemory(0, _batched), cancellationToken);
            _batched = 0;
        }
    }
}
