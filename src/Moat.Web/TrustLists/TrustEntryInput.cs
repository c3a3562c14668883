using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Moat.Storage;

namespace Moat.Web.TrustLists;

/// <summary>What the add form takes: an address or domain, and an optional lifetime in whole days.</summary>
internal static class TrustEntryInput
{
    /// <summary>Ten years: anything longer is a typo, and "no expiry" is the empty field.</summary>
    public const int MaxExpiryDays = 3650;

    public const string PatternHelp = "Give an address (bob@example.com) or a domain (example.com, which also covers its subdomains).";

    public static bool TryParsePattern(string? pattern, [NotNullWhen(true)] out string? canonical, [NotNullWhen(false)] out string? problem)
    {
        // The same rules as `moat trust add`, so the web cannot store what the CLI would refuse.
        if (TrustNames.TryNormalisePattern(pattern, out canonical, out var reason))
        {
            problem = null;
            return true;
        }

        problem = $"{Sentence(reason)} {PatternHelp}";
        return false;
    }

    /// <summary>An empty field means no expiry; otherwise a whole number of days from 1 to <see cref="MaxExpiryDays"/>.</summary>
    public static bool TryParseExpiry(string? days, DateTimeOffset now, out DateTimeOffset? expires, [NotNullWhen(false)] out string? problem)
    {
        expires = null;
        problem = null;
        var text = days?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > MaxExpiryDays)
        {
            problem = $"The expiry must be a whole number of days from 1 to {MaxExpiryDays}, or empty for an entry that stays.";
            return false;
        }

        expires = now.AddDays(count);
        return true;
    }

    // TrustNames words some problems as the end of a sentence ("the domain is empty.").
    private static string Sentence(string text) =>
        text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
}
