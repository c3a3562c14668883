using System.Diagnostics.Metrics;
using Moat.Scanning.Engines;
using Moat.Scanning.Scanning;

namespace Moat.Cli.Hosting;

/// <summary>What the dashboard shows of the antivirus, for Prometheus too: scans running now and the signature set's age and size.</summary>
internal sealed class AntivirusMetrics : IDisposable
{
    public const string MeterName = "Moat.Antivirus";

    private readonly Meter meter = new(MeterName);

    public AntivirusMetrics(SignatureEngine signatures, ActiveScans activeScans, TimeProvider clock)
    {
        meter.CreateObservableGauge("scans.active", () => activeScans.Count, unit: "{scan}", description: "Scans in progress now.");
        meter.CreateObservableGauge("signatures.age", () => (clock.GetUtcNow() - signatures.Status.Statistics.LoadedAt).TotalSeconds, unit: "s", description: "Time since the signature set in use was loaded.");
        meter.CreateObservableGauge("signatures.count", () => signatures.Status.Statistics.TotalSignatures, unit: "{signature}", description: "Signatures in the set in use.");
    }

    public void Dispose() => meter.Dispose();
}
