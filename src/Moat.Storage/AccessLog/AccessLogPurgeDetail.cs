using System.Globalization;
using System.Text.RegularExpressions;

namespace Moat.Storage.AccessLog;

/// <summary>
/// The detail of a <see cref="AccessActions.Purge"/> entry. It names the anchor, and because the
/// entry is itself chained, verification can tell whether the stored anchor is still the one the
/// purge left (a moved anchor would hide deleted entries).
/// </summary>
internal static partial class AccessLogPurgeDetail
{
    public static string Format(int count, DateTimeOffset before, long anchorSequence, string anchorHash) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"purged {count} entr{(count == 1 ? "y" : "ies")} written before {before.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}; anchor #{anchorSequence} {anchorHash}");

    public static bool TryParseAnchor(string? detail, out long sequence, out string hash)
    {
        var match = detail is null ? null : AnchorPattern().Match(detail);
        if (match is { Success: true } && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out sequence))
        {
            hash = match.Groups[2].Value;
            return true;
        }

        sequence = 0;
        hash = string.Empty;
        return false;
    }

    [GeneratedRegex(@"; anchor #([0-9]{1,19}) ([0-9a-f]{64})\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchorPattern();
}
