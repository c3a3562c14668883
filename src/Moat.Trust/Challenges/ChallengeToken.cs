using System.Security.Cryptography;
using System.Text;

namespace Moat.Trust.Challenges;

/// <summary>
/// The signed, dated identifier a challenge carries in its reply address and link:
/// <c>ID.DAY.MAC</c>, where DAY is the last day it can be answered (days since 1970, base 36) and
/// MAC an HMAC-SHA256 over ID and DAY with a secret of this installation. Like BATV tags, a forged
/// or expired token is recognised without a lookup, and the ID cannot be guessed.
/// </summary>
public sealed record ChallengeToken(string Id, int LastDay, string Mac)
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int IdLength = 16;
    private const int MacLength = 16;

    public override string ToString() => $"{Id}.{ToBase36(LastDay)}.{Mac}";

    /// <summary>A new token with a random id that can be answered until <paramref name="expires"/>.</summary>
    public static ChallengeToken Create(byte[] secret, DateTimeOffset expires)
    {
        var id = RandomNumberGenerator.GetString(Alphabet, IdLength);
        var lastDay = (int)(expires.ToUnixTimeSeconds() / 86400);
        return new ChallengeToken(id, lastDay, Sign(secret, id, lastDay));
    }

    /// <summary>Parses and checks a token; null when it is malformed, forged or past its day.</summary>
    public static ChallengeToken? Verify(byte[] secret, string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var parts = (text ?? string.Empty).Trim().ToLowerInvariant().Split('.');
        if (parts.Length != 3 || parts[0].Length != IdLength || parts[2].Length != MacLength
            || !parts[0].All(Alphabet.Contains) || !TryFromBase36(parts[1], out var lastDay))
        {
            return null;
        }

        var expected = Sign(secret, parts[0], lastDay);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return null;
        }

        return now.ToUnixTimeSeconds() / 86400 > lastDay ? null : new ChallengeToken(parts[0], lastDay, parts[2]);
    }

    private static string Sign(byte[] secret, string id, int lastDay)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{id}.{lastDay}"));
        return Convert.ToHexStringLower(mac)[..MacLength];
    }

    private static string ToBase36(int value)
    {
        var text = new StringBuilder();
        do
        {
            text.Insert(0, Alphabet[value % 36]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }

    private static bool TryFromBase36(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 6)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                return false;
            }

            value = (value * 36) + digit;
        }

        return true;
    }
}
