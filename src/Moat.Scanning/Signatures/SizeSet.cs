namespace Moat.Scanning.Signatures;

/// <summary>
/// The distinct object sizes of a hash signature set, in one open-addressing array of longs (a
/// <see cref="HashSet{T}"/> of a hundred thousand sizes costs about three times as much). Sizes
/// are never negative ("any size" is kept apart), so a slot holds size + 1 and 0 means empty.
/// </summary>
internal sealed class SizeSet
{
    private long[] _slots = new long[16];

    public int Count { get; private set; }

    public long AllocatedBytes => _slots.Length * sizeof(long);

    /// <summary>Adds <paramref name="size"/> (0 or more); false when it was already there.</summary>
    public bool Add(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if ((Count + 1) * 2 > _slots.Length)
        {
            Resize(_slots.Length * 2);
        }

        var mask = _slots.Length - 1;
        var stored = size + 1;
        for (var slot = Slot(size, mask); ; slot = (slot + 1) & mask)
        {
            if (_slots[slot] == stored)
            {
                return false;
            }

            if (_slots[slot] == 0)
            {
                _slots[slot] = stored;
                Count++;
                return true;
            }
        }
    }

    public bool Contains(long size)
    {
        if (size < 0)
        {
            return false;
        }

        var mask = _slots.Length - 1;
        var stored = size + 1;
        for (var slot = Slot(size, mask); ; slot = (slot + 1) & mask)
        {
            var value = _slots[slot];
            if (value == stored)
            {
                return true;
            }

            if (value == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Makes the table as small as its load factor allows (once loading is done).</summary>
    public void TrimExcess()
    {
        var size = TableSize(Count);
        if (size < _slots.Length)
        {
            Resize(size);
        }
    }

    /// <summary>The smallest power of two that keeps the table at most half full.</summary>
    private static int TableSize(int count) => (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count) * 2));

    private static int Slot(long size, int mask) => (int)(HashSignatureSet.Mix((ulong)size) & (uint)mask);

    private void Resize(int size)
    {
        var old = _slots;
        var slots = new long[size];
        foreach (var stored in old)
        {
            if (stored != 0)
            {
                var mask = size - 1;
                var slot = Slot(stored - 1, mask);
                while (slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                slots[slot] = stored;
            }
        }

        _slots = slots;
    }
}
