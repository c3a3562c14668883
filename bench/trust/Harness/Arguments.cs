using System.Globalization;

namespace Moat.Bench.Trust;

/// <summary><c>--name value</c> pairs after the mode; the last occurrence wins.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public Arguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"bad argument {args[i]}");
            }

            values[args[i]] = args[i + 1];
        }
    }

    public string Text(string name, string? fallback = null) =>
        values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"{name} is required");

    public int Integer(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A probability or share: a number from 0 to 1.</summary>
    public double Fraction(string name, double fallback)
    {
        var value = Number(name, fallback);
        return value is >= 0 and <= 1 ? value : throw new ArgumentException($"{name} must be between 0 and 1");
    }
}
