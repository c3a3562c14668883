namespace Moat.Cli.Commands;

internal enum ScanFileVerdict
{
    Clean,
    Infected,

    /// <summary>Not fully scanned: unreadable, an engine failed, or the content broke a walker limit.</summary>
    Error,
}
