using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Moat.Trust.Content;

/// <summary>
/// Turns content tokens into keyed 64-bit hashes (SipHash-2-4 with a key from this installation's
/// <c>content.key</c>), so the classifier's statistics hold no words of anybody's mail and cannot
/// be searched for a word without the key.
/// </summary>
public sealed class TokenHasher
{
    /// <summary>The key file's name in the data folder.</summary>
    public const string DefaultFileName = "content.key";

    public const int KeyLength = 32;

    private readonly ulong k0;
    private readonly ulong k1;

    public TokenHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < KeyLength)
        {
            throw new ArgumentException($"The key must have at least {KeyLength} bytes.", nameof(key));
        }

        k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        k1 = BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(8));
    }

    public long[] Hash(IReadOnlyCollection<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var hashes = new long[tokens.Count];
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            var i = 0;
            foreach (var token in tokens)
            {
                var length = Encoding.UTF8.GetMaxByteCount(token.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var written = Encoding.UTF8.GetBytes(token, buffer);
                hashes[i++] = (long)SipHash.Hash(k0, k1, buffer.AsSpan(0, written));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hashes;
    }
}
