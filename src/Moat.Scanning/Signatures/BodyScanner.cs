using System.Buffers;

namespace Moat.Scanning.Signatures;

/// <summary>
/// One streaming scan of one object against a <see cref="BodyMatcher"/>. Bytes arrive in chunks
/// of any size; the automaton's state carries over between chunks, and a bounded window of the
/// newest bytes is kept so that every anchor hit can be verified once the bytes after it have
/// arrived (or the object has ended). Counts distinct match starts per pattern.
/// </summary>
internal sealed class BodyScanner : IDisposable
{
    /// <summary>Large chunks are processed in pieces of this size so the window stays bounded.</summary>
    private const int PieceSize = 64 * 1024;

    /// <summary>
    /// Verification work allowed per object: a fixed allowance plus some per byte, so ordinary
    /// content never comes near it while content built to make weak anchors hit everywhere
    /// cannot keep a scan busy for long.
    /// </summary>
    private const long BaseWork = 20_000_000;
    private const long WorkPerByte = 64;

    private readonly BodyMatcher _matcher;
    private readonly Queue<(int Pattern, long AnchorStart)> _pending = new();
    private readonly List<(int Pattern, long AnchorStart)> _pendingAtEnd = [];
    private readonly List<AutomatonHit> _hits = [];
    private readonly byte[] _head = new byte[FileTypeDetector.HeadLength];
    // Sparse: most objects match almost nothing, and a per-object array as long as the pattern
    // list would make every scan cost as much as the database is large.
    private readonly Dictionary<int, (int Count, long LastStart)> _matches = [];
    private byte[] _buffer;
    private long _bufferStart;
    private int _length;
    private int _headLength;
    private int _state;
    private long _nextSlowStart;
    private bool _complete;
    private long _work = BaseWork;

    public BodyScanner(BodyMatcher matcher)
    {
        _matcher = matcher;
        // Pooled and small at first: most objects (MIME parts, archive members) are small, and
        // a full window per object would make every scan allocate as much as the largest pattern.
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    }

    /// <summary>The object's type, once its first bytes (or all of it) have been seen.</summary>
    public SignatureTarget? Type { get; private set; }

    /// <summary>
    /// The work budget ran out: some hits were not verified, so "no match" is not a reliable
    /// answer for this object (matches found are still real).
    /// </summary>
    public bool LimitExceeded { get; private set; }

    /// <summary>Bytes currently kept for pending verifications (bounded by the matcher's window plus one piece).</summary>
    public int RetainedBytes => _length;

    /// <summary>Patterns that matched at least once, with their distinct match starts (capped at each pattern's count limit).</summary>
    public IReadOnlyDictionary<int, (int Count, long LastStart)> Matches => _matches;

    public int CountOf(int pattern) => _matches.TryGetValue(pattern, out var match) ? match.Count : 0;

    private long BufferEnd => _bufferStart + _length;

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (_complete)
        {
            throw new InvalidOperationException("The scan is already complete.");
        }

        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(data.Length, PieceSize)];
            Append(piece);
            data = data[piece.Length..];
        }
    }

    /// <summary>Marks the end of the object and verifies everything still pending.</summary>
    public void Complete()
    {
        if (_complete)
        {
            return;
        }

        _complete = true;
        Type ??= FileTypeDetector.Detect(_head.AsSpan(0, _headLength));
        Drain(atEnd: true);
    }

    private void Append(ReadOnlySpan<byte> piece)
    {
        MakeRoom(piece.Length);
        _work += WorkPerByte * piece.Length;
        var pieceStart = BufferEnd;
        piece.CopyTo(_buffer.AsSpan(_length));
        _length += piece.Length;

        if (_headLength < _head.Length)
        {
            var take = Math.Min(piece.Length, _head.Length - _headLength);
            piece[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            if (_headLength == _head.Length)
            {
                Type = FileTypeDetector.Detect(_head);
            }
        }

        _hits.Clear();
        _state = _matcher.Automaton.Scan(_state, piece, _hits);
        foreach (var hit in _hits)
        {
            var pattern = _matcher.Patterns[hit.Value];
            if (CountOf(hit.Value) >= pattern.CountLimit)
            {
                continue;
            }

            var anchorStart = pieceStart + hit.End - pattern.Anchor!.Length + 1;
            if (pattern.Offset.Kind == SignatureOffsetKind.FromEnd)
            {
                _pendingAtEnd.Add((hit.Value, anchorStart));
            }
            else
            {
                _pending.Enqueue((hit.Value, anchorStart));
            }
        }

        Drain(atEnd: false);
    }

    private void Drain(bool atEnd)
    {
        // Typed patterns need the object's type, known after the first 1 KiB (or at the end).
        if (Type is null && !atEnd)
        {
            return;
        }

        while (_pending.TryPeek(out var hit))
        {
            var pattern = _matcher.Patterns[hit.Pattern];
            var anchor = pattern.Anchor!;
            var lastStart = hit.AnchorStart - anchor.MinOffset;
            if (!atEnd && lastStart + pattern.MaxLength > BufferEnd)
            {
                break;
            }

            _pending.Dequeue();
            Verify(hit.Pattern, hit.AnchorStart - anchor.MaxOffset, lastStart);
        }

        if (atEnd)
        {
            foreach (var hit in _pendingAtEnd)
            {
                var anchor = _matcher.Patterns[hit.Pattern].Anchor!;
                Verify(hit.Pattern, hit.AnchorStart - anchor.MaxOffset, hit.AnchorStart - anchor.MinOffset);
            }

            _pendingAtEnd.Clear();
        }
        else
        {
            // "EOF-n" can only start at or after (end - n) and the end is at least here, so hits
            // further back can never match.
            _pendingAtEnd.RemoveAll(h => h.AnchorStart - _matcher.Patterns[h.Pattern].Anchor!.MinOffset < BufferEnd - _matcher.Patterns[h.Pattern].Offset.Value);
        }

        DrainSlow(atEnd);
    }

    private void DrainSlow(bool atEnd)
    {
        var slow = _matcher.SlowPatterns;
        if (slow.Length == 0)
        {
            return;
        }

        while (_nextSlowStart < BufferEnd && (atEnd || _nextSlowStart + _matcher.SlowMaxLength <= BufferEnd))
        {
            foreach (var p in slow)
            {
                if (_matcher.Patterns[p].Offset.Kind != SignatureOffsetKind.FromEnd)
                {
                    Verify(p, _nextSlowStart, _nextSlowStart);
                }
            }

            _nextSlowStart++;
        }

        if (atEnd)
        {
            foreach (var p in slow)
            {
                var offset = _matcher.Patterns[p].Offset;
                if (offset.Kind == SignatureOffsetKind.FromEnd)
                {
                    Verify(p, BufferEnd - offset.Value, BufferEnd - offset.Value + offset.MaxShift);
                }
            }
        }
    }

    private void Verify(int p, long firstStart, long lastStart)
    {
        var pattern = _matcher.Patterns[p];
        if (LimitExceeded || (pattern.Target != SignatureTarget.Any && pattern.Target != Type))
        {
            return;
        }

        var size = BufferEnd; // only consulted for EOF offsets, which are verified at the end
        var data = _buffer.AsSpan(0, _length);
        _matches.TryGetValue(p, out var match);
        var from = match.Count == 0 ? firstStart : Math.Max(firstStart, match.LastStart + 1);
        for (var start = Math.Max(from, _bufferStart); start <= lastStart && start < BufferEnd; start++)
        {
            if (match.Count >= pattern.CountLimit)
            {
                return;
            }

            if (!pattern.Offset.Allows(start, size))
            {
                continue;
            }

            var matched = PatternMatcher.MatchesAt(pattern.Elements, data, (int)(start - _bufferStart), ref _work);
            if (matched is null)
            {
                LimitExceeded = true;
                return;
            }

            if (matched.Value)
            {
                match = (match.Count + 1, start);
                _matches[p] = match;
            }
        }
    }

    /// <summary>Drops bytes no pending verification can need any more, growing the buffer only if that is not enough.</summary>
    private void MakeRoom(int incoming)
    {
        if (_length + incoming <= _buffer.Length)
        {
            return;
        }

        var keepFrom = BufferEnd - _matcher.Window;
        if (_pending.TryPeek(out var oldest))
        {
            keepFrom = Math.Min(keepFrom, oldest.AnchorStart - _matcher.Patterns[oldest.Pattern].Anchor!.MaxOffset);
        }

        if (_matcher.SlowPatterns.Length > 0)
        {
            keepFrom = Math.Min(keepFrom, _nextSlowStart);
        }

        if (Type is null)
        {
            keepFrom = _bufferStart;
        }

        if (keepFrom > _bufferStart)
        {
            var drop = (int)(keepFrom - _bufferStart);
            _buffer.AsSpan(drop, _length - drop).CopyTo(_buffer);
            _length -= drop;
            _bufferStart = keepFrom;
        }

        if (_length + incoming > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + incoming));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
