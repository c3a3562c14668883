namespace Moat.Trust.Sources;

/// <summary>The result of one <see cref="SenderCallout.ProbeAsync"/>.</summary>
/// <param name="Address">The envelope sender that was (or would have been) probed.</param>
/// <param name="Detail">One human-readable line for the log and <c>moat pipeline explain</c>.</param>
/// <param name="Host">The MX host that gave the answer, when a connection was made.</param>
/// <param name="Reply">The remote server's reply that decided the outcome (control characters replaced, length capped).</param>
/// <param name="FromCache">The answer came from the cache; no connection was made for this call.</param>
public sealed record CalloutResult(
    CalloutOutcome Outcome,
    string Address,
    string Detail,
    string? Host = null,
    string? Reply = null,
    bool FromCache = false);
