using Moat.Accounts.Hashing;
using Moat.Accounts.Popularity;
using Moat.Accounts.Spraying;

namespace Moat.Accounts.Accounts;

/// <summary>The <c>accounts</c> section of the configuration.</summary>
public sealed class AccountsOptions
{
    // 256 MiB of counters: far beyond any sensible sketch, and still loadable in one piece.
    private const long MaximumSketchCounters = 64L * 1024 * 1024;

    /// <summary>Shorter passwords are refused (NIST SP 800-63B asks for at least 8). No other composition rules: popularity does that job.</summary>
    public int MinimumPasswordLength { get; set; } = 8;

    /// <summary>Argon2id cost; hashes made with other settings are replaced at the user's next login.</summary>
    public PasswordHashingOptions Hashing { get; set; } = new();

    /// <summary>The password-popularity sketch; its depth and width apply when it is first created and are kept after that.</summary>
    public PopularityOptions Popularity { get; set; } = new();

    /// <summary>Detection of password spraying (many accounts, few passwords, from one network).</summary>
    public SprayingOptions Spraying { get; set; } = new();

    /// <summary>What is wrong, as (key below <c>accounts.</c>, problem, fix); empty when nothing is.</summary>
    public IReadOnlyList<(string Key, string Problem, string Fix)> Validate()
    {
        var problems = new List<(string, string, string)>();
        if (MinimumPasswordLength is < 1 or > 64)
        {
            problems.Add(("minimumPasswordLength", $"{MinimumPasswordLength} is outside 1 to 64.", "the default is 8 (NIST SP 800-63B)."));
        }

        if ((Hashing ?? new()).Validate() is { } hashing)
        {
            problems.Add(("hashing", hashing, "the defaults are memoryKiB 19456, iterations 2, parallelism 1 (OWASP 2024)."));
        }

        var popularity = Popularity ?? new();
        if (popularity.Depth is < 1 or > CountMinSketch.MaximumDepth || popularity.Width < 1 || (long)popularity.Depth * popularity.Width > MaximumSketchCounters)
        {
            problems.Add((
                "popularity.depth",
                $"a {popularity.Depth} × {popularity.Width} sketch is not possible here (depth 1 to {CountMinSketch.MaximumDepth}, at most {MaximumSketchCounters} counters).",
                "the defaults are depth 4 and width 1048576 (16 MiB)."));
        }

        Collect(problems, "popularity", popularity.Validate, "see docs/passwords.md for what the settings mean; the defaults suit most installations.");
        Collect(problems, "spraying", (Spraying ?? new()).Validate, "see docs/passwords.md for what the settings mean; the defaults suit most installations.");
        return problems;
    }

    private static void Collect(List<(string, string, string)> problems, string section, Action validate, string fix)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            var name = ex.ParamName is { Length: > 0 } parameter ? "." + char.ToLowerInvariant(parameter[0]) + parameter[1..] : string.Empty;
            var message = ex is ArgumentOutOfRangeException { Message: var text } ? text.Split(" (Parameter", 2)[0] : ex.Message;
            problems.Add((section + name, message, fix));
        }
    }
}
