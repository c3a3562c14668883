using System.Buffers;

namespace Moat.Scanning.Signatures;

/// <summary>
/// An immutable, loaded set of signatures: whole-object hashes, body patterns and logical
/// signatures. Any number of scans may run on it at once; a reload builds a new set and swaps
/// the reference (see <see cref="Engines.SignatureEngine"/>).
/// </summary>
public sealed class SignatureSet
{
    private const int ReadSize = 64 * 1024;

    internal SignatureSet(HashSignatureSet[] hashes, BodyMatcher body, LogicalSignature[] logical, SignatureSetStatistics statistics)
    {
        Hashes = hashes;
        Body = body;
        Logical = logical;
        LogicalWithoutHits = [.. Enumerable.Range(0, logical.Length).Where(i => logical[i].MatchesWithoutHits)];
        Statistics = statistics;
    }

    /// <summary>A set with no signatures at all.</summary>
    public static SignatureSet Empty { get; } = new SignatureSetBuilder().Build();

    public SignatureSetStatistics Statistics { get; }

    internal HashSignatureSet[] Hashes { get; }

    internal BodyMatcher Body { get; }

    internal LogicalSignature[] Logical { get; }

    /// <summary>Logical signatures that can match with no subsignature hit, evaluated for every object.</summary>
    internal int[] LogicalWithoutHits { get; }

    /// <summary>
    /// Reads the stream to its end in 64 KiB chunks and returns the names of every signature
    /// that matches (empty when clean). <paramref name="knownLength"/>, when given, lets the scan
    /// skip hashing objects whose size no hash signature has. Throws
    /// <see cref="SignatureScanLimitException"/> when the object exhausted the verification
    /// budget without any match (it cannot be called clean).
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> ScanAsync(Stream content, long? knownLength = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var scanner = CreateScanner(knownLength ?? (content.CanSeek ? content.Length - content.Position : null));
        // Pooled: a message has several objects and each scan used to allocate its own 64 KiB.
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken)) > 0)
            {
                scanner.Feed(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return scanner.Complete();
    }

    /// <summary>Scans bytes already in memory.</summary>
    public IReadOnlyList<string> Scan(ReadOnlySpan<byte> content)
    {
        using var scanner = CreateScanner(content.Length);
        scanner.Feed(content);
        return scanner.Complete();
    }

    internal SignatureScanner CreateScanner(long? knownLength) => new(this, knownLength);
}
