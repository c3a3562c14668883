namespace Moat.Cli.Configuration;

/// <summary>One thing wrong with the configuration: the key, what is wrong, and how to fix it.</summary>
public sealed record ConfigurationError(string Key, string Problem, string Fix)
{
    public override string ToString() => $"{Key}: {Problem} Fix: {Fix}";
}
