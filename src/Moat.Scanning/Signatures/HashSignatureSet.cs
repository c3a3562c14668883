namespace Moat.Scanning.Signatures;

/// <summary>
/// Whole-object hash signatures of one digest kind, keyed by (size, digest): one dictionary
/// lookup per object whatever the number of signatures. The set of sizes lets the scanner skip
/// hashing an object whose length no signature has.
/// </summary>
internal sealed class HashSignatureSet
{
    private readonly Dictionary<HashKey, string> _names = [];
    private readonly HashSet<long> _sizes = [];

    public HashSignatureSet(HashSignatureKind kind)
    {
        Kind = kind;
    }

    public HashSignatureKind Kind { get; }

    public int Count => _names.Count;

    /// <summary>Some signature accepts any size ("*"), so every object must be hashed.</summary>
    public bool HasAnySize { get; private set; }

    public static int DigestLength(HashSignatureKind kind) => kind switch
    {
        HashSignatureKind.Md5 => 16,
        HashSignatureKind.Sha1 => 20,
        _ => 32,
    };

    /// <summary>Grows the table once for a large file instead of doubling it a dozen times while loading.</summary>
    public void EnsureCapacity(int additional) => _names.EnsureCapacity(_names.Count + additional);

    /// <summary>Adds a signature; a duplicate (size, digest) keeps the first name.</summary>
    public void Add(long size, ReadOnlySpan<byte> digest, string name)
    {
        if (_names.TryAdd(HashKey.Create(size, digest), name))
        {
            if (size == HashKey.AnySize)
            {
                HasAnySize = true;
            }
            else
            {
                _sizes.Add(size);
            }
        }
    }

    /// <summary>False when no signature can match an object of this length (no need to hash it).</summary>
    public bool MayMatchSize(long size) => HasAnySize || _sizes.Contains(size);

    public string? Find(long size, ReadOnlySpan<byte> digest)
    {
        if (_names.TryGetValue(HashKey.Create(size, digest), out var name))
        {
            return name;
        }

        return HasAnySize && _names.TryGetValue(HashKey.Create(HashKey.AnySize, digest), out name) ? name : null;
    }
}
