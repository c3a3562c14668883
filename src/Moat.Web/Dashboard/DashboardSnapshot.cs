namespace Moat.Web.Dashboard;

/// <summary>
/// The dashboard's figures at one moment: what the page renders and what /events sends as JSON
/// every second, so the page without script and the live page show the same thing. Durations
/// are seconds (doubles) because the browser reads them.
/// </summary>
/// <param name="Since">When counting started (the gateway's start): the verdict counts are since then.</param>
/// <param name="MessagesInLastMinute">Messages accepted into the queue in the trailing 60 seconds.</param>
/// <param name="MessagesOutLastMinute">Successful deliveries (one per recipient) in the trailing 60 seconds.</param>
/// <param name="PerMinute">The last 60 clock minutes, oldest first; the last entry is the minute in progress.</param>
/// <param name="Verdicts">Transactions by verdict since <paramref name="Since"/>.</param>
/// <param name="Signatures">Null when the gateway runs no signature engine.</param>
/// <param name="ScanCount">All scans running; <paramref name="Scans"/> may list only the oldest of them.</param>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    DateTimeOffset Since,
    long MessagesInLastMinute,
    long MessagesOutLastMinute,
    IReadOnlyList<MinuteTraffic> PerMinute,
    IReadOnlyDictionary<string, long> Verdicts,
    QueueDepth Queue,
    SignatureSummary? Signatures,
    int ScanCount,
    IReadOnlyList<ScanInProgress> Scans,
    IReadOnlyList<EngineTimes> Engines)
{
    /// <summary>Nothing counted yet (a gateway that has just started, or tests).</summary>
    public static DashboardSnapshot Empty(DateTimeOffset at) => new(
        at,
        at,
        0,
        0,
        Enumerable.Range(0, TrafficCounter.Minutes)
            .Select(i => new MinuteTraffic(TrafficCounter.MinuteStart(at).AddMinutes(i - TrafficCounter.Minutes + 1), 0, 0))
            .ToArray(),
        new Dictionary<string, long>(StringComparer.Ordinal),
        new QueueDepth(0, 0, 0, 0, 0, null, null),
        null,
        0,
        [],
        []);
}
