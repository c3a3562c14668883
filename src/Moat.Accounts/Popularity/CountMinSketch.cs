using System.Buffers.Binary;
using System.Numerics;

namespace Moat.Accounts.Popularity;

/// <summary>
/// A count-min sketch of <see cref="Depth"/> rows × <see cref="Width"/> 32-bit counters over
/// keyed hashes. An estimate is never below the true count as long as every removal matches an
/// earlier addition, which is what makes "refuse at the threshold" free of false negatives.
/// </summary>
/// <remarks>
/// Plain (not conservative) update on purpose: conservative update lowers over-estimates but
/// breaks the no-underestimate guarantee once counts are decremented. Indexes come from the
/// first 16 bytes of the keyed hash by Kirsch–Mitzenmacher double hashing, so one hash serves
/// every row. Safe for concurrent use: counters change by compare-and-swap, readers see each
/// counter atomically.
/// </remarks>
public sealed class CountMinSketch
{
    /// <summary>The bytes of a keyed hash the sketch reads: two 64-bit halves.</summary>
    public const int MinimumHashLength = 16;

    public const int MaximumDepth = 32;

    private readonly uint[] counters;
    private readonly ulong widthMask;
    private readonly bool widthIsPowerOfTwo;

    public CountMinSketch(int depth, int width)
        : this(depth, width, counters: null)
    {
    }

    private CountMinSketch(int depth, int width, uint[]? counters)
    {
        if (depth is < 1 or > MaximumDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"The depth must be between 1 and {MaximumDepth}.");
        }

        if (width < 1 || (long)depth * width > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive and depth × width must fit in one array.");
        }

        Depth = depth;
        Width = width;
        widthIsPowerOfTwo = BitOperations.IsPow2(width);
        widthMask = (ulong)width - 1;
        this.counters = counters ?? new uint[depth * width];
    }

    public int Depth { get; }

    public int Width { get; }

    public long MemoryBytes => (long)counters.Length * sizeof(uint);

    /// <summary>Adds <paramref name="delta"/> (negative to remove) in every row; counters stay within 0 … uint.MaxValue.</summary>
    public void Add(ReadOnlySpan<byte> keyedHash, int delta)
    {
        ReadHalves(keyedHash, out var h1, out var h2);
        if (delta == 0)
        {
            return;
        }

        for (var row = 0; row < Depth; row++)
        {
            ref var cell = ref counters[(row * Width) + Column(h1, h2, row)];
            uint seen;
            uint next;
            do
            {
                seen = Volatile.Read(ref cell);
                next = Apply(seen, delta);
            }
            while (Interlocked.CompareExchange(ref cell, next, seen) != seen);
        }
    }

    /// <summary>The smallest counter over the rows: at least the true count.</summary>
    public uint Estimate(ReadOnlySpan<byte> keyedHash)
    {
        ReadHalves(keyedHash, out var h1, out var h2);
        var minimum = uint.MaxValue;
        for (var row = 0; row < Depth; row++)
        {
            var value = Volatile.Read(ref counters[(row * Width) + Column(h1, h2, row)]);
            if (value < minimum)
            {
                minimum = value;
            }
        }

        return minimum;
    }

    /// <summary>
    /// The flat indexes (row × width + column, one per row, in row order) of the counters the
    /// hash maps to: what a caller stores to undo an addition without the item itself.
    /// </summary>
    public void GetIndexes(ReadOnlySpan<byte> keyedHash, Span<int> destination) =>
        GetIndexes(keyedHash, Depth, Width, destination);

    /// <summary>The same indexes for a sketch of the given shape, without one in memory.</summary>
    public static void GetIndexes(ReadOnlySpan<byte> keyedHash, int depth, int width, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ReadHalves(keyedHash, out var h1, out var h2);
        if (destination.Length < depth)
        {
            throw new ArgumentException($"Room for {depth} indexes is needed.", nameof(destination));
        }

        for (var row = 0; row < depth; row++)
        {
            destination[row] = (row * width) + Column(h1, h2, row, width);
        }
    }

    /// <summary>
    /// Halves every counter (rounding down): exponential decay for sketches that count recent
    /// events. Never use it on a sketch that also takes removals, as later removals would then
    /// undercount.
    /// </summary>
    public void Halve()
    {
        for (var i = 0; i < counters.Length; i++)
        {
            ref var cell = ref counters[i];
            uint seen;
            do
            {
                seen = Volatile.Read(ref cell);
                if (seen == 0)
                {
                    break;
                }
            }
            while (Interlocked.CompareExchange(ref cell, seen >> 1, seen) != seen);
        }
    }

    public void Clear() => Array.Clear(counters);

    /// <summary>A copy of the counters, row after row, for persistence.</summary>
    public uint[] ToArray() => (uint[])counters.Clone();

    public static CountMinSketch FromArray(int depth, int width, uint[] counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        if ((long)depth * width != counters.LongLength)
        {
            throw new ArgumentException($"Expected {(long)depth * width} counters for {depth} × {width}, got {counters.LongLength}.", nameof(counters));
        }

        return new CountMinSketch(depth, width, (uint[])counters.Clone());
    }

    private static void ReadHalves(ReadOnlySpan<byte> keyedHash, out ulong h1, out ulong h2)
    {
        if (keyedHash.Length < MinimumHashLength)
        {
            throw new ArgumentException($"A keyed hash of at least {MinimumHashLength} bytes is needed.", nameof(keyedHash));
        }

        h1 = BinaryPrimitives.ReadUInt64LittleEndian(keyedHash);
        // Odd, so that with a power-of-two width no two rows of one item share a column.
        h2 = BinaryPrimitives.ReadUInt64LittleEndian(keyedHash[8..]) | 1;
    }

    private int Column(ulong h1, ulong h2, int row)
    {
        var combined = h1 + ((ulong)row * h2);
        return (int)(widthIsPowerOfTwo ? combined & widthMask : combined % (ulong)Width);
    }

    private static int Column(ulong h1, ulong h2, int row, int width)
    {
        var combined = h1 + ((ulong)row * h2);
        return (int)(combined % (ulong)width);
    }

    private static uint Apply(uint value, int delta)
    {
        if (delta > 0)
        {
            var sum = (ulong)value + (uint)delta;
            return sum > uint.MaxValue ? uint.MaxValue : (uint)sum;
        }

        var decrement = (uint)-(long)delta;
        return value > decrement ? value - decrement : 0;
    }
}
