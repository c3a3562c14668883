using System.Diagnostics.Metrics;

namespace Moat.Accounts.Spraying;

/// <summary>
/// The detector's instruments on the "Moat.Accounts" meter. Names carry no meter prefix (the
/// exporter adds it).
/// </summary>
internal sealed class SprayingMetrics : IDisposable
{
    public const string MeterName = "Moat.Accounts";

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> slowed;
    private readonly Counter<long> blocked;
    private readonly Counter<long> blocksImposed;

    public SprayingMetrics(IMeterFactory? meterFactory, Func<int> activeBlocks)
    {
        // A meter of our own when there is no factory, so the gauge's callback dies with this detector.
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        slowed = meter.CreateCounter<long>("logins.slowed", unit: "{login}", description: "Login attempts delayed before verification, by cause.");
        blocked = meter.CreateCounter<long>("logins.blocked", unit: "{login}", description: "Login attempts refused because their source network is blocked.");
        blocksImposed = meter.CreateCounter<long>("sources.blocked", unit: "{network}", description: "Source networks blocked for password spraying.");
        meter.CreateObservableGauge("blocks.active", activeBlocks, unit: "{network}", description: "Source networks blocked now.");
    }

    public void RecordSlowed(string cause) => slowed.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void RecordBlocked() => blocked.Add(1);

    public void RecordBlockImposed() => blocksImposed.Add(1);

    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }
}
