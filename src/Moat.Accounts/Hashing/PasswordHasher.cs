using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Moat.Accounts.Hashing;

/// <summary>
/// Argon2id password hashes with a 16-byte random salt per hash and a 32-byte output, written as
/// PHC strings. Passwords are hashed as their UTF-8 bytes, without Unicode normalisation: Moat
/// runs with invariant globalization, where .NET cannot normalise, and hashing what the user
/// typed byte for byte keeps every existing hash verifiable if that ever changes.
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>Longer passwords are refused: Argon2 would accept megabytes, and nobody types that.</summary>
    public const int MaxPasswordBytes = 1024;

    internal const int MaxParallelism = 16;
    internal const int MaxIterations = 64;
    internal const int MaxMemoryKiB = 1024 * 1024;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly Argon2Parameters parameters;
    private readonly string dummyHash;
    private long computations;

    public PasswordHasher(PasswordHashingOptions? options = null)
    {
        options ??= new PasswordHashingOptions();
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException("The password hashing options are invalid: " + problem, nameof(options));
        }

        parameters = new Argon2Parameters(options.MemoryKiB, options.Iterations, options.Parallelism);

        // Nothing hashes to it; verifying against it costs exactly what a real verification costs.
        dummyHash = new PhcHash(parameters, RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(HashBytes)).ToString();
    }

    /// <summary>How many Argon2id computations this instance ran: lets tests see that every login path costs the same.</summary>
    internal long Computations => Interlocked.Read(ref computations);

    /// <summary>The hash unknown and locked accounts are checked against.</summary>
    internal string DummyHash => dummyHash;

    /// <summary>A new PHC string for <paramref name="password"/> at the configured cost.</summary>
    /// <exception cref="ArgumentException">The password is empty or longer than <see cref="MaxPasswordBytes"/> bytes.</exception>
    public string Hash(string password)
    {
        if (CheckPassword(password) is { } problem)
        {
            throw new ArgumentException(problem, nameof(password));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, parameters, HashBytes);
        return new PhcHash(parameters, salt, hash).ToString();
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="phc"/>, compared in constant
    /// time. A malformed or foreign string, or an impossible password, simply does not match.
    /// </summary>
    public bool Verify(string password, string phc)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (CheckPassword(password) is not null || !PhcHash.TryParse(phc, out var stored))
        {
            return false;
        }

        var computed = Compute(password, stored.Salt, stored.Parameters, stored.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(computed, stored.Hash);
    }

    /// <summary>
    /// Spends what a real verification at the configured cost spends and returns false: for
    /// logins of unknown or locked accounts, so the response time does not tell them apart.
    /// </summary>
    public bool VerifyDummy(string password)
    {
        _ = Verify(password, dummyHash);
        return false;
    }

    /// <summary>
    /// True when <paramref name="phc"/> was made with other settings than the configured ones
    /// (older defaults, a changed configuration) or is not a hash this class writes: the next
    /// successful login should store a fresh hash.
    /// </summary>
    public bool NeedsRehash(string phc) =>
        !PhcHash.TryParse(phc, out var stored)
        || stored.Parameters != parameters
        || stored.Salt.Length < SaltBytes
        || stored.Hash.Length != HashBytes;

    /// <summary>Why <paramref name="password"/> cannot be hashed, or null when it can.</summary>
    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "The password is empty.";
        }

        // Cheap bound first: a string of more than MaxPasswordBytes chars always has more bytes.
        if (password.Length > MaxPasswordBytes || Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            return $"The password is longer than {MaxPasswordBytes} bytes; choose a shorter one.";
        }

        return null;
    }

    /// <summary>Raw Argon2id (version 0x13), with the optional secret and associated data of RFC 9106 for known-answer tests.</summary>
    internal static byte[] Compute(byte[] password, byte[] salt, Argon2Parameters parameters, int length, byte[]? secret = null, byte[]? associatedData = null)
    {
        using var argon2 = new Argon2id(password)
        {
            Salt = salt,
            Iterations = parameters.Iterations,
            MemorySize = parameters.MemoryKiB,
            DegreeOfParallelism = parameters.Parallelism,
            KnownSecret = secret,
            AssociatedData = associatedData,
        };
        return argon2.GetBytes(length);
    }

    private byte[] Compute(string password, byte[] salt, Argon2Parameters parameters, int length)
    {
        Interlocked.Increment(ref computations);
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Compute(bytes, salt, parameters, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
