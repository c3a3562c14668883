using System.Globalization;

namespace Moat.Bench.Accounts;

/// <summary>--name value pairs.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public Arguments(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            values[args[i]] = args[++i];
        }
    }

    public string Text(string name, string? fallback = null) =>
        values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"{name} is required.");

    public int Integer(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) =>
        values.TryGetValue(name, out var value) ? long.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double[] Numbers(string name, double[] fallback) =>
        values.TryGetValue(name, out var value)
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : fallback;
}
