using System.Text;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Threat names stored end to end as UTF-8 in one growing byte array, addressed by index. A
/// hundred thousand hash signatures would otherwise hold a hundred thousand string objects (about
/// three times the bytes, plus a header and a reference each) for names that are read only on a
/// detection; <see cref="Get"/> makes the string then.
/// </summary>
internal sealed class SignatureNames
{
    private byte[] _bytes = [];
    private int[] _starts = [0];
    private int _byteCount;

    public int Count { get; private set; }

    /// <summary>Bytes held, slack included (for the memory figures).</summary>
    public long AllocatedBytes => _bytes.Length + (_starts.Length * sizeof(int));

    /// <summary>Makes room for <paramref name="additional"/> more names of about <paramref name="averageLength"/> bytes, so loading a large file does not grow the arrays step by step.</summary>
    public void EnsureCapacity(int additional, int averageLength)
    {
        GrowStarts(Count + additional + 1);
        GrowBytes((long)_byteCount + ((long)additional * averageLength));
    }

    /// <summary>Appends a name and returns its index.</summary>
    public int Add(ReadOnlySpan<char> name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        GrowBytes((long)_byteCount + length);
        GrowStarts(Count + 2);
        _byteCount += Encoding.UTF8.GetBytes(name, _bytes.AsSpan(_byteCount));
        _starts[++Count] = _byteCount;
        return Count - 1;
    }

    public string Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Encoding.UTF8.GetString(_bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]));
    }

    /// <summary>Drops the slack left by growing (once loading is done; the set lives for hours).</summary>
    public void TrimExcess()
    {
        if (_bytes.Length > _byteCount)
        {
            Array.Resize(ref _bytes, _byteCount);
        }

        if (_starts.Length > Count + 1)
        {
            Array.Resize(ref _starts, Count + 1);
        }
    }

    private void GrowBytes(long needed)
    {
        if (needed > _bytes.Length)
        {
            var size = Math.Max(needed, Math.Min(Array.MaxLength, Math.Max(256L, (long)_bytes.Length * 2)));
            if (size > Array.MaxLength)
            {
                throw new InvalidOperationException("Too many signature names.");
            }

            Array.Resize(ref _bytes, (int)size);
        }
    }

    private void GrowStarts(long needed)
    {
        if (needed > _starts.Length)
        {
            var size = Math.Max(needed, Math.Min(Array.MaxLength, Math.Max(64L, (long)_starts.Length * 2)));
            if (size > Array.MaxLength)
            {
                throw new InvalidOperationException("Too many signature names.");
            }

            Array.Resize(ref _starts, (int)size);
        }
    }
}
