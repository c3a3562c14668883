namespace Moat.Bench.Accounts;

/// <summary>One row of the evaluation: no oracle, or an oracle at τ, seeded or not.</summary>
internal sealed record OracleSetting(double? Tau, bool Seeded)
{
    public string Name => Tau is null ? "no oracle" : $"τ = {Format.Tau(Tau.Value)}{(Seeded ? ", seeded" : "")}";
}
