namespace Moat.Cli.Commands;

/// <summary>Process exit codes shared by every command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but what it was asked could not be done (no such message, say).</summary>
    public const int Failure = 1;

    /// <summary>The configuration or the command line is wrong.</summary>
    public const int ConfigurationError = 2;

    /// <summary><c>moat audit</c>: the most severe finding is low (3), medium (4), high (5) or critical (6); 0 when nothing is above info.</summary>
    public const int AuditLow = 3;

    public const int AuditMedium = 4;

    public const int AuditHigh = 5;

    public const int AuditCritical = 6;

    /// <summary><c>moat audit-log verify</c>: an entry of the access log was changed or deleted.</summary>
    public const int AccessLogBroken = 7;
}
