using System.Globalization;

namespace Moat.Bench.Accounts;

internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Tau(double tau) => tau switch
    {
        1e-3 => "10⁻³",
        1e-4 => "10⁻⁴",
        1e-5 => "10⁻⁵",
        1e-6 => "10⁻⁶",
        _ => tau.ToString("G3", Invariant),
    };

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Percent(double share, int decimals = 3) => (share * 100).ToString("F" + decimals, Invariant) + " %";

    public static string Number(double value, string format = "G3") => value.ToString(format, Invariant);

    /// <summary>Scientific notation for small probabilities, e.g. 1.2·10⁻⁸.</summary>
    public static string Probability(double p)
    {
        if (p == 0)
        {
            return "0";
        }

        if (p >= 1e-3)
        {
            return p.ToString("G3", Invariant);
        }

        var exponent = (int)Math.Floor(Math.Log10(p));
        var mantissa = p / Math.Pow(10, exponent);
        if (mantissa >= 9.95)
        {
            mantissa = 1;
            exponent++;
        }

        return $"{mantissa.ToString("F1", Invariant)}·10{Superscript(exponent)}";
    }

    public static string Bytes(long bytes) => bytes >= 1 << 20
        ? (bytes / (double)(1 << 20)).ToString("0.#", Invariant) + " MiB"
        : (bytes / 1024.0).ToString("0.#", Invariant) + " KiB";

    private static string Superscript(int value)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(value).ToString(Invariant);
        return (value < 0 ? "⁻" : "") + string.Concat(text.Select(c => digits[c - '0']));
    }
}
