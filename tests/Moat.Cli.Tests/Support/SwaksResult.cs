namespace Moat.Cli.Tests.Support;

/// <summary>A swaks run: its exit code and the transcript it printed.</summary>
public sealed record SwaksResult(int ExitCode, string Transcript)
{
    /// <summary>The server's lines (swaks marks them "&lt;-" or "&lt;~" under TLS), without the markers.</summary>
    public IEnumerable<string> ServerLines => Transcript.Split('\n')
        .Where(l => l.StartsWith("<-", StringComparison.Ordinal) || l.StartsWith("<~", StringComparison.Ordinal) || l.StartsWith("<**", StringComparison.Ordinal))
        .Select(l => l.TrimStart('<', '-', '~', '*', ' ').TrimEnd('\r'));

    public override string ToString() => $"swaks exit {ExitCode}\n{Transcript}";
}
