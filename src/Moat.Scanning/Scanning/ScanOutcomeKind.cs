namespace Moat.Scanning.Scanning;

public enum ScanOutcomeKind
{
    Clean,

    /// <summary>Enough engines detected something (see <see cref="ScanDecision"/>).</summary>
    Infected,

    /// <summary>The walker could not unpack everything; <see cref="ScanPolicy.LimitAction"/> says what to do.</summary>
    LimitExceeded,

    /// <summary>An engine without fail-open could not decide: the gateway answers 4xx (try again later).</summary>
    Error,
}
