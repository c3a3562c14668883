using System.Globalization;

namespace Moat.Scanning.Signatures;

/// <summary>Where a body pattern may start (ClamAV's offset field).</summary>
internal readonly record struct SignatureOffset(SignatureOffsetKind Kind, long Value, long MaxShift)
{
    public static SignatureOffset Any { get; } = new(SignatureOffsetKind.Any, 0, 0);

    /// <summary>
    /// Parses "*", "n", "n,shift", "EOF-n", "EOF-n,shift". PE entry point and section offsets
    /// ("EP+n", "SL+n", "Sx+n", "SE…") and macros throw <see cref="NotSupportedException"/> (the
    /// signature is skipped with a warning); anything else throws <see cref="FormatException"/>.
    /// </summary>
    public static SignatureOffset Parse(string text)
    {
        if (text == "*")
        {
            return Any;
        }

        if (text.StartsWith("EP", StringComparison.Ordinal) || text.StartsWith('S') || text.StartsWith("VI", StringComparison.Ordinal) || text.StartsWith('$'))
        {
            throw new NotSupportedException($"offset '{text}' (PE entry point, section, version-info or macro offsets) is not supported");
        }

        var kind = SignatureOffsetKind.FromStart;
        var body = text.AsSpan();
        if (body.StartsWith("EOF-"))
        {
            kind = SignatureOffsetKind.FromEnd;
            body = body[4..];
        }

        long shift = 0;
        var comma = body.IndexOf(',');
        if (comma >= 0)
        {
            if (!long.TryParse(body[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out shift))
            {
                throw new FormatException($"offset '{text}': maxshift after ',' must be a number");
            }

            body = body[..comma];
        }

        if (!long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"offset '{text}' is not '*', 'n', 'n,maxshift', 'EOF-n' or 'EOF-n,maxshift'");
        }

        return new SignatureOffset(kind, value, shift);
    }

    /// <summary>Whether a match starting at <paramref name="start"/> is allowed in an object of <paramref name="size"/> bytes (size only needed for EOF offsets).</summary>
    public bool Allows(long start, long size) => Kind switch
    {
        SignatureOffsetKind.FromStart => start >= Value && start <= Value + MaxShift,
        SignatureOffsetKind.FromEnd => start >= size - Value && start <= size - Value + MaxShift,
        _ => true,
    };
}
