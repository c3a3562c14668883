namespace Moat.Cli.Commands;

/// <summary>Process exit codes shared by every command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but what it was asked could not be done (no such message, say).</summary>
    public const int Failure = 1;

    /// <summary>The configuration or the command line is wrong.</summary>
    public const int ConfigurationError = 2;
}
