namespace Moat.Audit;

/// <summary>
/// Where an audit is, for a live display: the phase, how far through it (<see cref="Done"/> of
/// <see cref="Total"/>, in the phase's own unit) and the running counts the operator cares about.
/// </summary>
/// <param name="Message">What is happening now, e.g. "probing 192.0.2.5:25".</param>
public sealed record AuditProgress(
    AuditPhase Phase,
    string Message,
    long Done,
    long Total,
    int OpenPorts,
    int SmtpListeners);
