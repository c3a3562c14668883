using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Moat.Scanning.Scanning;

/// <summary>
/// The scanner's instruments on the "Moat.Scanning" meter. Names carry no meter prefix (the
/// exporter adds it); tag values are lower case so dashboards need no mapping.
/// </summary>
internal sealed class ScanMetrics
{
    private static readonly Meter SharedMeter = new(MultiEngineScanner.MeterName);

    private readonly Histogram<double> duration;
    private readonly Counter<long> detections;
    private readonly Counter<long> errors;
    private readonly Counter<long> failOpen;
    private readonly Counter<long> scans;

    public ScanMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MultiEngineScanner.MeterName) ?? SharedMeter;
        duration = meter.CreateHistogram<double>("engine.duration", unit: "s", description: "Time one engine took on one object.");
        detections = meter.CreateCounter<long>("detections", unit: "{detection}", description: "Threats found, by engine and threat name.");
        errors = meter.CreateCounter<long>("engine.errors", unit: "{error}", description: "Engines that failed or timed out on an object.");
        failOpen = meter.CreateCounter<long>("engine.failopen", unit: "{error}", description: "Engine failures ignored because the engine is fail-open.");
        scans = meter.CreateCounter<long>("scans", unit: "{scan}", description: "Scans finished, by outcome.");
    }

    public void RecordDuration(string engine, TimeSpan elapsed) =>
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("engine", engine));

    public void RecordDetection(string engine, string threat) =>
        detections.Add(1, new TagList { { "engine", engine }, { "threat", threat } });

    public void RecordError(string engine, bool timedOut) =>
        errors.Add(1, new TagList { { "engine", engine }, { "reason", timedOut ? "timeout" : "error" } });

    public void RecordFailOpen(string engine) =>
        failOpen.Add(1, new KeyValuePair<string, object?>("engine", engine));

    public void RecordScan(ScanOutcomeKind outcome) =>
        scans.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome)));

    public static string OutcomeTag(ScanOutcomeKind outcome) => outcome switch
    {
        ScanOutcomeKind.Clean => "clean",
        ScanOutcomeKind.Infected => "infected",
        ScanOutcomeKind.LimitExceeded => "limit_exceeded",
        ScanOutcomeKind.Error => "error",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
