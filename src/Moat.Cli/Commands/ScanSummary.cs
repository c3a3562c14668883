namespace Moat.Cli.Commands;

/// <summary>The totals at the end of <c>moat scan</c>.</summary>
internal sealed record ScanSummary(IReadOnlyList<string> Engines, int Files, int Infected, int Errors, long Bytes, TimeSpan Elapsed, bool Interrupted)
{
    public static ScanSummary Of(IReadOnlyList<string> engines, IReadOnlyList<ScanFileResult> results, TimeSpan elapsed, bool interrupted) => new(
        engines,
        results.Count,
        results.Count(r => r.Verdict == ScanFileVerdict.Infected),
        results.Count(r => r.Verdict == ScanFileVerdict.Error),
        results.Sum(r => r.Bytes),
        elapsed,
        interrupted);

    /// <summary>clamscan's exit codes: 0 nothing found, 1 something found, 2 errors (only when nothing was found).</summary>
    public int ExitCode => Infected > 0 ? 1 : Errors > 0 || Interrupted ? 2 : 0;
}
