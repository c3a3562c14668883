using Moat.Scanning.Engines;

namespace Moat.Scanning.Scanning;

/// <summary>An engine with the policy settings resolved.</summary>
internal sealed record ConfiguredEngine(IScanEngine Engine, TimeSpan Timeout, bool FailOpen)
{
    public string Name => Engine.Name;
}
