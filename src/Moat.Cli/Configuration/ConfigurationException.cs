namespace Moat.Cli.Configuration;

/// <summary>The configuration cannot be used; <see cref="Errors"/> says why, key by key.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}
