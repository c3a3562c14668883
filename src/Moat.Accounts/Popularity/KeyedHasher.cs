using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Moat.Accounts.Popularity;

/// <summary>
/// HMAC-SHA256 of text under a key derived from the deployment secret for one purpose, so the
/// popularity sketch and the spraying sketch never share hashes. Without the secret the hashes
/// (and so the sketch counters) cannot be tested against guessed passwords.
/// </summary>
/// <remarks>
/// The text is hashed as the UTF-8 of the string as given: no case folding (it would merge
/// passwords that are different to a guesser) and no Unicode normalisation (the process runs
/// in invariant globalisation mode, where .NET's Normalize does nothing; normalising only when
/// ICU happens to be present would make the hashes depend on the host). One HMAC instance per
/// thread is reused because the one-shot API costs about twice as much per call, and the
/// plaintext bytes are wiped after use.
/// </remarks>
internal sealed class KeyedHasher
{
    public const int HashSize = 32;

    private const int StackLimit = 256;

    private readonly ThreadLocal<IncrementalHash> hmacs;

    public KeyedHasher(byte[] secret, string purpose)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
        {
            throw new ArgumentException("The secret must be at least 32 bytes (a key file of 32 random bytes).", nameof(secret));
        }

        var key = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(purpose));
        hmacs = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
    }

    /// <summary>Writes HMAC(key, UTF-8(text)) into <paramref name="destination"/> (32 bytes).</summary>
    public void Hash(string text, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackLimit ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        var length = 0;
        try
        {
            length = Encoding.UTF8.GetBytes(text, buffer);
            var hmac = hmacs.Value!;
            hmac.AppendData(buffer[..length]);
            hmac.GetHashAndReset(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A 64-bit fingerprint of the keyed hash, for in-memory sets.</summary>
    public ulong Fingerprint(string text)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(text, hash);
        return BitConverter.ToUInt64(hash);
    }
}
