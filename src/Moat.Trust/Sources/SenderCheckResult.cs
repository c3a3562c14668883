namespace Moat.Trust.Sources;

/// <summary>The outcome of one sender-system test.</summary>
public enum SenderCheckResult
{
    /// <summary>Not tested (the null sender has no envelope domain, an address literal has no DNS).</summary>
    None,

    Pass,

    Fail,

    /// <summary>DNS did not answer usefully. Never evidence against the sender: ask again later.</summary>
    TempError,
}
