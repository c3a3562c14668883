using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Moat.Trust.Content;

/// <summary>
/// Turns content tokens into keyed 64-bit hashes (HMAC-SHA256 with this installation's
/// <c>content.key</c>), so the classifier's statistics hold no words of anybody's mail and cannot
/// be searched for a word without the key.
/// </summary>
public sealed class TokenHasher(byte[] key)
{
    /// <summary>The key file's name in the data folder.</summary>
    public const string DefaultFileName = "content.key";

    public const int KeyLength = 32;

    private readonly byte[] key = key.Length >= KeyLength ? key : throw new ArgumentException($"The key must have at least {KeyLength} bytes.", nameof(key));

    public long[] Hash(IReadOnlyCollection<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var hashes = new long[tokens.Count];
        using var hmac = new HMACSHA256(key);
        Span<byte> digest = stackalloc byte[32];
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
                hmac.TryComputeHash(buffer.AsSpan(0, written), digest, out _);
                hashes[i++] = BinaryPrimitives.ReadInt64LittleEndian(digest);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hashes;
    }
}
