namespace Moat.Web.Dashboard;

/// <summary>The antivirus signature set scans use now.</summary>
/// <param name="Version">1 for the set loaded at start, +1 per reload.</param>
/// <param name="Signatures">How many signatures the set holds.</param>
/// <param name="Files">The database files it was loaded from.</param>
/// <param name="LastReloadError">Why the last reload failed (the set shown is then the previous one), or null.</param>
public sealed record SignatureSummary(
    long Version,
    int Signatures,
    IReadOnlyList<string> Files,
    DateTimeOffset LoadedAt,
    double AgeSeconds,
    string? LastReloadError);
