using System.Diagnostics;
using Moat.Accounts.Popularity;

namespace Moat.Bench.Accounts;

/// <summary>
/// N users choose passwords one after the other, each by the list's frequencies. With an oracle,
/// a refused user draws again from the same distribution, up to <c>maxChoices</c> choices in
/// all, and after that makes up a password of their own (outside the list, unique). T is the
/// threshold for the final N throughout: the oracle of an installation of that size.
/// </summary>
internal sealed class PopulationSimulation(PasswordList list, int users, int maxChoices, int seed)
{
    public static readonly int[] Guesses = [1, 10, 100];

    public SimulationResult Run(OracleSetting setting, PopularityOptions template, long probes)
    {
        var watch = Stopwatch.StartNew();
        PopularityOracle? oracle = null;
        HashSet<string> seededPasswords = [];
        if (setting.Tau is { } tau)
        {
            var options = new PopularityOptions
            {
                Tau = tau,
                MinimumThreshold = template.MinimumThreshold,
                Depth = template.Depth,
                Width = template.Width,
                SeedCount = template.SeedCount,
            };
            oracle = new PopularityOracle(Secret(seed), options.CreateSketch(), options);
            if (setting.Seeded)
            {
                var common = CommonPasswords.Load();
                oracle.Seed(common);
                seededPasswords = common.ToHashSet(StringComparer.Ordinal);
            }
        }

        var threshold = oracle?.Threshold(users);
        var counts = new int[list.Count];
        // Separate streams, so first choices are the same users' in every row.
        var first = new Random(seed);
        var again = new Random(seed + 1);
        int askedAgain = 0, own = 0;
        long choices = 0, checks = 0, wrongRefusals = 0;
        for (var user = 0; user < users; user++)
        {
            var index = list.Sample(first);
            choices++;
            if (oracle is null)
            {
                counts[index]++;
                continue;
            }

            var refused = false;
            var userChoices = 1;
            while (true)
            {
                checks++;
                var password = list.Passwords[index];
                if (!oracle.IsTooPopular(password, users))
                {
                    oracle.Add(password);
                    counts[index]++;
                    break;
                }

                if (counts[index] < threshold && !seededPasswords.Contains(password))
                {
                    wrongRefusals++;
                }

                refused = true;
                if (userChoices >= maxChoices)
                {
                    // Never seen: refused only by a false positive, which this model ignores.
                    oracle.Add(OwnPassword(user));
                    own++;
                    break;
                }

                index = list.Sample(again);
                userChoices++;
                choices++;
            }

            if (refused)
            {
                askedAgain++;
            }
        }

        long probesRefused = 0;
        if (oracle is not null)
        {
            for (long i = 0; i < probes; i++)
            {
                if (oracle.IsTooPopular(ProbePassword(i), users))
                {
                    probesRefused++;
                }
            }
        }

        var optimal = new Dictionary<int, long>();
        var naive = new Dictionary<int, long>();
        var sorted = counts.Select(c => (long)c).Concat(Enumerable.Repeat(1L, own)).OrderByDescending(c => c).ToArray();
        foreach (var beta in Guesses)
        {
            optimal[beta] = sorted.Take(beta).Sum();
            naive[beta] = counts.Take(beta).Sum(c => (long)c);
        }

        var t = threshold ?? 0;
        var seededCount = setting.Seeded ? CommonPasswords.Load().Count : 0;
        return new SimulationResult(
            setting,
            users,
            threshold,
            oracle?.Sketch.Depth,
            oracle?.Sketch.Width,
            oracle?.Sketch.MemoryBytes ?? 0,
            askedAgain,
            choices,
            own,
            optimal,
            naive,
            sorted.FirstOrDefault(),
            checks,
            wrongRefusals,
            oracle is null ? 0 : probes,
            probesRefused,
            oracle is null ? 0 : PopularityOracle.FalsePositiveBound(users, t, oracle.Sketch.Depth, oracle.Sketch.Width),
            oracle is null ? 0 : PopularityOracle.FalsePositiveBound(users + ((long)seededCount * t), t, oracle.Sketch.Depth, oracle.Sketch.Width),
            watch.Elapsed.TotalSeconds,
            counts);
    }

    /// <summary>
    /// The bound against the measured rate where it can be seen: a sketch sized by
    /// <see cref="PopularityOracle.Dimensions"/> for <paramref name="target"/>, filled with the
    /// population an oracle produced, probed with never-seen passwords.
    /// </summary>
    public (int Depth, int Width, long Memory, double Bound, long Refused) CheckFormula(SimulationResult population, double target, long probes)
    {
        var t = population.Threshold ?? throw new ArgumentException("Needs an oracle population.", nameof(population));
        var (depth, width) = PopularityOracle.Dimensions(users, t, target);
        var options = new PopularityOptions { Tau = population.Setting.Tau!.Value, Depth = depth, Width = width };
        var oracle = new PopularityOracle(Secret(seed + 7), options.CreateSketch(), options);
        for (var i = 0; i < population.ListCounts.Length; i++)
        {
            for (var k = 0; k < population.ListCounts[i]; k++)
            {
                oracle.Add(list.Passwords[i]);
            }
        }

        for (var user = 0; user < population.OwnPasswords; user++)
        {
            oracle.Add(OwnPassword(user));
        }

        long refused = 0;
        for (long i = 0; i < probes; i++)
        {
            if (oracle.IsTooPopular(ProbePassword(i + 1_000_000_000L), users))
            {
                refused++;
            }
        }

        return (depth, width, oracle.Sketch.MemoryBytes, PopularityOracle.FalsePositiveBound(users, t, depth, width), refused);
    }

    public static byte[] Secret(int seed)
    {
        var secret = new byte[32];
        new Random(seed ^ 0x5EC2E7).NextBytes(secret);
        return secret;
    }

    private static string OwnPassword(int user) => $"own password of user {user}: {user * 2654435761u:x8}";

    private static string ProbePassword(long i) => $"never seen {i}";
}
