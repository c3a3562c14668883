using System.Diagnostics.Metrics;

namespace Moat.Web.Metrics;

/// <summary>What happens on the web pages: logins by outcome and every access to held mail, by action.</summary>
internal sealed class WebMetrics : IDisposable
{
    public const string MeterName = "Moat.Web";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> logins;
    private readonly Counter<long> quarantineActions;

    public WebMetrics()
    {
        logins = meter.CreateCounter<long>("logins", unit: "{login}", description: "Web logins, by outcome (success, refused, throttled).");
        quarantineActions = meter.CreateCounter<long>("quarantine.actions", unit: "{action}", description: "Held messages viewed, downloaded, released or deleted on the web, by action.");
    }

    public void Login(string outcome) => logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void QuarantineAction(string action) => quarantineActions.Add(1, new KeyValuePair<string, object?>("action", action));

    public void Dispose() => meter.Dispose();
}
