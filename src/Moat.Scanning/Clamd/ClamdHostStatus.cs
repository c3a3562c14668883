namespace Moat.Scanning.Clamd;

/// <summary>What a health check learnt about one clamd host.</summary>
/// <param name="Version">clamd's VERSION answer, e.g. "ClamAV 1.4.6/27000/Thu Nov 26 09:30:00 2026", when healthy.</param>
/// <param name="Problem">Why the host is unhealthy, when it is.</param>
public sealed record ClamdHostStatus(ClamdEndpoint Endpoint, bool Healthy, string? Version, string? Problem);
