using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Moat.Accounts.Hashing;

/// <summary>
/// An Argon2id hash in the PHC string format, <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>,
/// with salt and hash in unpadded standard Base64, as the reference implementation writes it.
/// Parsing is strict and bounded: the string comes from storage someone may have tampered with,
/// and it decides how much memory and time a login spends.
/// </summary>
internal sealed record PhcHash(Argon2Parameters Parameters, byte[] Salt, byte[] Hash)
{
    public const string Prefix = "$argon2id$v=19$";

    private const int MinSaltBytes = 8;
    private const int MaxSaltBytes = 64;
    private const int MinHashBytes = 16;
    private const int MaxHashBytes = 64;

    public static bool TryParse(string? text, [NotNullWhen(true)] out PhcHash? phc)
    {
        phc = null;
        if (text is null || text.Length > 512 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('$');
        if (parts.Length != 3 || !TryParseParameters(parts[0], out var parameters))
        {
            return false;
        }

        if (!TryDecode(parts[1], out var salt) || salt.Length is < MinSaltBytes or > MaxSaltBytes
            || !TryDecode(parts[2], out var hash) || hash.Length is < MinHashBytes or > MaxHashBytes)
        {
            return false;
        }

        phc = new PhcHash(parameters, salt, hash);
        return true;
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}m={Parameters.MemoryKiB},t={Parameters.Iterations},p={Parameters.Parallelism}${Encode(Salt)}${Encode(Hash)}");

    private static bool TryParseParameters(string text, [NotNullWhen(true)] out Argon2Parameters? parameters)
    {
        parameters = null;
        var fields = text.Split(',');
        if (fields.Length != 3
            || !TryField(fields[0], "m=", out var memory)
            || !TryField(fields[1], "t=", out var iterations)
            || !TryField(fields[2], "p=", out var parallelism))
        {
            return false;
        }

        // Argon2 needs at least 8 KiB per lane; the upper bounds stop a doctored hash from
        // making one login allocate gigabytes or spin for minutes.
        if (parallelism is < 1 or > PasswordHasher.MaxParallelism
            || iterations is < 1 or > PasswordHasher.MaxIterations
            || memory < 8 * parallelism || memory > PasswordHasher.MaxMemoryKiB)
        {
            return false;
        }

        parameters = new Argon2Parameters(memory, iterations, parallelism);
        return true;
    }

    private static bool TryField(string field, string name, out int value)
    {
        value = 0;
        if (!field.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = field.AsSpan(name.Length);

        // The PHC format forbids leading zeros and signs, so one number has one spelling.
        return digits.Length is > 0 and <= 9
            && (digits[0] != '0' || digits.Length == 1)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Length % 4 == 1 || text.Contains('='))
        {
            return false;
        }

        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];

        // Unused trailing bits must be zero, so a second spelling of the same salt or hash is refused.
        return Encode(bytes) == text;
    }
}
