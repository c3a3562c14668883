using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

/// <summary>A release check with a fixed answer, for tests of what the quarantine does with it (the real one scans; see Moat.Cli.Tests).</summary>
internal sealed class FixedReleaseCheck(ReleaseResult? answer) : IReleaseCheck
{
    public List<string> Checked { get; } = [];

    public Task<ReleaseResult?> CheckAsync(string id, CancellationToken cancellationToken)
    {
        Checked.Add(id);
        return Task.FromResult(answer);
    }
}
