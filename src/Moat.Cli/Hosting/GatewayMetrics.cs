using System.Diagnostics.Metrics;

namespace Moat.Cli.Hosting;

/// <summary>Transaction-level metrics: what happened to each message the gateway was offered.</summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Moat.Gateway";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> transactions;
    private readonly Counter<long> refusals;
    private readonly Histogram<double> duration;

    public GatewayMetrics()
    {
        transactions = meter.CreateCounter<long>("transactions", description: "Messages offered with DATA/BDAT, by verdict.");
        refusals = meter.CreateCounter<long>("refusals", description: "Commands refused by the pipeline, by stage and reply code.");
        duration = meter.CreateHistogram<double>("transaction.duration", unit: "s", description: "From the end of the client's data to the final reply (content checks and fsync).");
    }

    public void Transaction(string verdict, TimeSpan elapsed)
    {
        transactions.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("verdict", verdict));
    }

    public void Refusal(string stage, int code) =>
        refusals.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose() => meter.Dispose();
}
