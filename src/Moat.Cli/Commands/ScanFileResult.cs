namespace Moat.Cli.Commands;

/// <summary>What <c>moat scan</c> says about one file.</summary>
/// <param name="Details">For infected files "engine: threat in object path"; for errors the reasons.</param>
internal sealed record ScanFileResult(string Path, ScanFileVerdict Verdict, IReadOnlyList<string> Threats, IReadOnlyList<string> Details, long Bytes)
{
    public static ScanFileResult Error(string path, string reason, long bytes = 0) => new(path, ScanFileVerdict.Error, [], [reason], bytes);
}
