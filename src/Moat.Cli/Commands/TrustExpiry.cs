using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>--expires</c>: a duration from now (<c>12h</c>, <c>30d</c>, <c>2w</c>) or a date, which
/// means until the end of that day in UTC (<c>2027-01-31</c>), or an exact ISO-8601 time.
/// </summary>
internal static class TrustExpiry
{
    public const string Help = "give a duration such as 12h, 30d or 2w, or a date such as 2027-01-31 (the entry lasts until the end of that day, UTC)";

    public static bool TryParse(string text, DateTimeOffset now, [NotNullWhen(true)] out DateTimeOffset? expires, [NotNullWhen(false)] out string? problem)
    {
        expires = null;
        var value = text.Trim();
        if (value.Length >= 2 && char.ToLowerInvariant(value[^1]) is 'h' or 'd' or 'w'
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (count == 0)
            {
                problem = $"--expires {text}: the duration must be longer than zero; {Help}.";
                return false;
            }

            var unit = char.ToLowerInvariant(value[^1]) switch
            {
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.FromDays(7),
            };
            if (count > (DateTimeOffset.MaxValue - now).TotalDays)
            {
                problem = $"--expires {text} is too far in the future; {Help}.";
                return false;
            }

            expires = now + (unit * count);
            problem = null;
            return true;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            expires = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else if (value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            expires = time;
        }
        else
        {
            problem = $"--expires {text} is not understood: {Help}.";
            return false;
        }

        if (expires <= now)
        {
            problem = $"--expires {text} is already past; {Help}.";
            expires = null;
            return false;
        }

        problem = null;
        return true;
    }
}
