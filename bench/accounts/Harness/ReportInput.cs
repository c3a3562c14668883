using Moat.Accounts.Popularity;

namespace Moat.Bench.Accounts;

internal sealed record ReportInput(
    string Command,
    string Machine,
    PasswordList List,
    int Users,
    int Seed,
    int MaxChoices,
    PopularityOptions Defaults,
    IReadOnlyList<SimulationResult> Results,
    IReadOnlyList<FormulaCheck> FormulaChecks,
    Throughput.Rates Rates,
    int Rounds,
    double RoundSeconds,
    IReadOnlyList<SprayOutcome> Sprays);
