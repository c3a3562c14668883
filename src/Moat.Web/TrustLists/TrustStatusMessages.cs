using System.Globalization;
using Moat.Storage;

namespace Moat.Web.TrustLists;

/// <summary>
/// The confirmation shown after a change redirected back to /trust. Only known words and
/// numbers come from the query string, and a pattern only when it is one, so a crafted link
/// cannot make the page say something of an attacker's choosing.
/// </summary>
internal static class TrustStatusMessages
{
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Removed = "removed";
    public const string Imported = "imported";

    public static string? For(string? done, string? pattern, string? count, string? skipped)
    {
        var what = TrustNames.TryNormalisePattern(pattern, out var canonical, out _) ? canonical : null;
        return done switch
        {
            Added => what is null ? "Added." : $"Added {what}.",
            Updated => what is null ? "Updated." : $"Updated {what}.",
            Removed => what is null ? "Removed." : $"Removed {what}.",
            Imported when Number(count) is { } imported => Number(skipped) is > 0 and var invalid
                ? $"Imported {Entries(imported)}; skipped {invalid} that {(invalid == 1 ? "was not an address" : "were not addresses")}."
                : $"Imported {Entries(imported)}.",
            _ => null,
        };
    }

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Entries(int count) => count == 1 ? "1 entry" : $"{count} entries";
}
