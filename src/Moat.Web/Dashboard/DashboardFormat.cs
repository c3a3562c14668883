using System.Globalization;

namespace Moat.Web.Dashboard;

/// <summary>
/// How the dashboard writes figures. assets/dashboard.js formats live updates the same way
/// (keep the two in step), so a figure does not change its look when the first event arrives.
/// </summary>
public static class DashboardFormat
{
    public const string None = "—";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return None;
        }

        if (seconds < 1)
        {
            var milliseconds = seconds * 1000;
            return milliseconds.ToString(milliseconds < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " ms";
        }

        if (seconds < 60)
        {
            return seconds.ToString(seconds < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " s";
        }

        var whole = (long)seconds;
        return whole switch
        {
            < 3600 => $"{whole / 60} min {whole % 60} s",
            < 48 * 3600 => $"{whole / 3600} h {whole / 60 % 60} min",
            _ => $"{whole / 86400} d {whole / 3600 % 24} h",
        };
    }

    public static string Duration(double? seconds) => seconds is { } value ? Duration(value) : None;

    /// <summary>Invariant and without grouping: the figure tests and scripts read back.</summary>
    public static string Plain(long value) => value.ToString(CultureInfo.InvariantCulture);
}
