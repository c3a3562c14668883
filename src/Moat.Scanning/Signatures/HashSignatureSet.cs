using System.Runtime.InteropServices;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Whole-object hash signatures of one digest kind, keyed by (size, digest): one probe sequence
/// per object whatever the number of signatures. Stored flat, not as objects: entry i's digest is
/// words <c>[i × W, (i + 1) × W)</c> of one ulong array (W = 2, 3 or 4 for MD5, SHA-1, SHA-256),
/// its size is <c>_sizes[i]</c> and its name is name i of <see cref="SignatureNames"/>; an
/// open-addressing table of entry numbers (at most half full, linear probing) finds them. That is
/// about 40 bytes per MD5 signature plus its name, where a dictionary of keys and name strings
/// took about 170. The set of sizes lets the scanner skip hashing an object whose length no
/// signature has. Built while loading, read-only afterwards (any number of scans at once).
/// </summary>
internal sealed class HashSignatureSet
{
    /// <summary>The size of a signature that accepts any size ("*").</summary>
    public const long AnySize = -1;

    private readonly int _words;
    private readonly SignatureNames _names = new();
    private readonly SizeSet _sizeSet = new();
    private ulong[] _digests = [];
    private long[] _sizes = [];
    private int[] _slots = new int[16];

    public HashSignatureSet(HashSignatureKind kind)
    {
        Kind = kind;
        _words = (DigestLength(kind) + 7) / 8;
    }

    public HashSignatureKind Kind { get; }

    public int Count { get; private set; }

    /// <summary>Some signature accepts any size ("*"), so every object must be hashed.</summary>
    public bool HasAnySize { get; private set; }

    /// <summary>Bytes the set's arrays hold, slack included.</summary>
    public long AllocatedBytes =>
        (_digests.Length * sizeof(ulong)) + (_sizes.Length * sizeof(long)) + (_slots.Length * sizeof(int)) + _names.AllocatedBytes + _sizeSet.AllocatedBytes;

    public static int DigestLength(HashSignatureKind kind) => kind switch
    {
        HashSignatureKind.Md5 => 16,
        HashSignatureKind.Sha1 => 20,
        _ => 32,
    };

    /// <summary>A 64-bit finaliser (splitmix64): spreads sizes and digest words over the table's slots.</summary>
    internal static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 27;
        value *= 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    /// <summary>Grows the arrays once for a large file instead of doubling them a dozen times while loading.</summary>
    public void EnsureCapacity(int additional)
    {
        var needed = Count + additional;
        GrowEntries(needed);
        GrowSlots(needed);
        // Names of ClamAV hash signatures run to about 20-40 bytes.
        _names.EnsureCapacity(additional, 24);
    }

    /// <summary>Adds a signature; a duplicate (size, digest) keeps the first name.</summary>
    public void Add(long size, ReadOnlySpan<byte> digest, ReadOnlySpan<char> name)
    {
        Span<ulong> key = stackalloc ulong[4];
        ToWords(digest, key);
        key = key[.._words];
        var mask = _slots.Length - 1;
        var slot = Slot(size, key, mask);
        while (_slots[slot] != 0)
        {
            if (Matches(_slots[slot] - 1, size, key))
            {
                return;
            }

            slot = (slot + 1) & mask;
        }

        GrowEntries(Count + 1);
        var entry = Count++;
        key.CopyTo(_digests.AsSpan(entry * _words, _words));
        _sizes[entry] = size;
        _names.Add(name);
        _slots[slot] = entry + 1;
        if (size == AnySize)
        {
            HasAnySize = true;
        }
        else
        {
            _sizeSet.Add(size);
        }

        // Grown after the insert, so the slot found above stays valid.
        GrowSlots(Count);
    }

    /// <summary>False when no signature can match an object of this length (no need to hash it).</summary>
    public bool MayMatchSize(long size) => HasAnySize || _sizeSet.Contains(size);

    public string? Find(long size, ReadOnlySpan<byte> digest)
    {
        Span<ulong> key = stackalloc ulong[4];
        ToWords(digest, key);
        key = key[.._words];
        var entry = FindEntry(size, key);
        if (entry < 0 && HasAnySize)
        {
            entry = FindEntry(AnySize, key);
        }

        return entry < 0 ? null : _names.Get(entry);
    }

    /// <summary>Drops the slack left by growing (once loading is done; a set lives for hours).</summary>
    public void TrimExcess()
    {
        if (_sizes.Length > Count)
        {
            Array.Resize(ref _digests, Count * _words);
            Array.Resize(ref _sizes, Count);
        }

        var slots = TableSize(Count);
        if (slots < _slots.Length)
        {
            Rehash(slots);
        }

        _names.TrimExcess();
        _sizeSet.TrimExcess();
    }

    /// <summary>The smallest power of two that keeps the table at most half full.</summary>
    private static int TableSize(int count) => (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count) * 2));

    private static void ToWords(ReadOnlySpan<byte> digest, Span<ulong> words)
    {
        words.Clear();
        digest.CopyTo(MemoryMarshal.AsBytes(words));
    }

    private static int Slot(long size, ReadOnlySpan<ulong> key, int mask)
    {
        var h = Mix((ulong)size);
        foreach (var word in key)
        {
            h = Mix(h ^ word);
        }

        return (int)(h & (uint)mask);
    }

    private int FindEntry(long size, ReadOnlySpan<ulong> key)
    {
        var mask = _slots.Length - 1;
        for (var slot = Slot(size, key, mask); _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            if (Matches(_slots[slot] - 1, size, key))
            {
                return _slots[slot] - 1;
            }
        }

        return -1;
    }

    private bool Matches(int entry, long size, ReadOnlySpan<ulong> key) =>
        _sizes[entry] == size && _digests.AsSpan(entry * _words, _words).SequenceEqual(key);

    private void GrowEntries(int needed)
    {
        if (needed > _sizes.Length)
        {
            var capacity = (int)Math.Min(Array.MaxLength / 4, Math.Max(needed, Math.Max(16L, (long)_sizes.Length * 2)));
            if (capacity < needed)
            {
                throw new InvalidOperationException("Too many hash signatures.");
            }

            Array.Resize(ref _digests, capacity * _words);
            Array.Resize(ref _sizes, capacity);
        }
    }

    private void GrowSlots(int count)
    {
        if ((long)count * 2 > _slots.Length)
        {
            Rehash(TableSize(count));
        }
    }

    private void Rehash(int size)
    {
        var slots = new int[size];
        var mask = size - 1;
        for (var entry = 0; entry < Count; entry++)
        {
            var slot = Slot(_sizes[entry], _digests.AsSpan(entry * _words, _words), mask);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry + 1;
        }

        _slots = slots;
    }
}
