using System.Diagnostics.CodeAnalysis;

namespace Moat.Audit.Vulnerabilities;

/// <summary>
/// A set of versions written as constraints that must all hold, e.g. "&gt;=4.87 &lt;4.92",
/// "&lt;8.14.9", "=4.88" (a bare version means "="), or "*" for every version.
/// </summary>
public sealed class VersionRange
{
    private readonly IReadOnlyList<(string Operator, SoftwareVersion Version)> constraints;

    private VersionRange(string text, IReadOnlyList<(string, SoftwareVersion)> constraints)
    {
        Text = text;
        this.constraints = constraints;
    }

    public string Text { get; }

    public static VersionRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out VersionRange? range, [NotNullWhen(false)] out string? error)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a version range is empty";
            return false;
        }

        if (text.Trim() == "*")
        {
            range = new VersionRange("*", []);
            error = null;
            return true;
        }

        var tokens = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var constraints = new List<(string, SoftwareVersion)>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var op = Operators.FirstOrDefault(o => token.StartsWith(o, StringComparison.Ordinal));
            var versionText = op is null ? token : token[op.Length..];

            // ">= 4.87": the operator and the version as separate tokens.
            if (op is not null && versionText.Length == 0 && i + 1 < tokens.Length)
            {
                versionText = tokens[++i];
            }

            if (!SoftwareVersion.TryParse(versionText, out var version) || version.Text != versionText)
            {
                error = $"'{text}' is not a version range: '{versionText}' is not a version (write e.g. \">=4.87 <4.92\")";
                return false;
            }

            constraints.Add((op is null or "==" ? "=" : op, version));
        }

        range = new VersionRange(string.Join(' ', constraints.Select(c => c.Item1 + c.Item2.Text)), constraints);
        error = null;
        return true;
    }

    public bool Contains(SoftwareVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var (op, bound) in constraints)
        {
            var c = version.CompareTo(bound);
            var holds = op switch
            {
                ">=" => c >= 0,
                ">" => c > 0,
                "<=" => c <= 0,
                "<" => c < 0,
                _ => c == 0,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    // Longest first, so ">=" is not read as ">" followed by "=4.87".
    private static readonly string[] Operators = [">=", "<=", "==", ">", "<", "="];
}
