using System.Diagnostics.Metrics;

namespace Moat.Accounts.Accounts;

/// <summary>
/// Login outcomes and popularity refusals on the meter <c>Moat.Accounts</c>, beside the spraying
/// detector's instruments (its <c>blocks.active</c> gauge shows the blocks in force); the
/// metrics endpoint publishes every <c>Moat.*</c> meter.
/// </summary>
internal sealed class AccountMetrics : IDisposable
{
    public const string MeterName = "Moat.Accounts";

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> logins;
    private readonly Counter<long> refusals;

    public AccountMetrics(IMeterFactory? meterFactory = null)
    {
        // A factory's meter belongs to the factory; only one made here is ours to dispose.
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        logins = meter.CreateCounter<long>("logins", description: "Login attempts, by outcome.");
        refusals = meter.CreateCounter<long>("password.refusals", description: "New passwords refused because too many accounts use them.");
    }

    public void Login(LoginOutcome outcome) =>
        logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void PasswordRefused() => refusals.Add(1);

    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }
}
