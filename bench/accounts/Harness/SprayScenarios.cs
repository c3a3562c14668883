using System.Net;
using Moat.Accounts.Popularity;
using Moat.Accounts.Spraying;

namespace Moat.Bench.Accounts;

/// <summary>
/// The spraying detector with its default settings against the scenario (one client, the
/// 20 most common passwords, 500 accounts) in both orders, with and without the seeded common
/// passwords, slowly, and from many networks; and offices of users mistyping behind one address.
/// After each attack, a user whose account was attacked types two typos and then the right
/// password, at home (where they had logged in before) and then from a network never used.
/// </summary>
internal static class SprayScenarios
{
    private static readonly IPAddress Home = IPAddress.Parse("203.0.113.25");
    private static readonly IPAddress Away = IPAddress.Parse("192.0.2.77");

    public static IReadOnlyList<SprayOutcome> Run(int seed)
    {
        var top20 = CommonPasswords.Load().Take(20).ToArray();
        var accounts = Enumerable.Range(0, 500).Select(i => $"user{i}@example.org").ToArray();
        var passwordFirst = top20.SelectMany(p => accounts.Select(a => (a, p))).ToArray();
        var accountFirst = accounts.SelectMany(a => top20.Select(p => (a, p))).ToArray();
        var secret = PopulationSimulation.Secret(seed);
        var attacker = new[] { IPAddress.Parse("198.51.100.7") };
        var fast = TimeSpan.FromMilliseconds(200);
        return
        [
            Attack("one client, password after password, seeded", secret, true, attacker, passwordFirst, fast),
            Attack("one client, account after account, seeded", secret, true, attacker, accountFirst, fast),
            Attack("one client, password after password, not seeded", secret, false, attacker, passwordFirst, fast),
            Attack("one client, account after account, not seeded", secret, false, attacker, accountFirst, fast),
            Attack("one client, one attempt per 10 minutes", secret, true, attacker, passwordFirst, TimeSpan.FromMinutes(10)),
            Attack(
                "100 networks, 10 attempts each",
                secret,
                true,
                Enumerable.Range(0, 100).Select(i => IPAddress.Parse($"192.0.{i}.9")).ToArray(),
                passwordFirst.Take(1_000).ToArray(),
                fast),
            Office("office of 400 behind one address, own typos", secret, commonEvery: 0, seed),
            Office("the same, 1 in 20 failures a common password", secret, commonEvery: 20, seed),
        ];
    }

    private static SprayOutcome Attack(
        string name,
        byte[] secret,
        bool seeded,
        IPAddress[] sources,
        (string Account, string Password)[] attempts,
        TimeSpan pace)
    {
        var clock = new SimulatedClock();
        using var detector = new SprayingDetector(secret, new SprayingOptions { SeedCommonPasswords = seeded }, clock);
        var victim = attempts[Math.Min(3, attempts.Length - 1)].Account;
        detector.RecordSuccess(Home, victim);
        clock.Advance(TimeSpan.FromMinutes(1));

        long tried = 0;
        long? slowed = null;
        long? blocked = null;
        var blockedSources = new HashSet<IPAddress>();
        var start = clock.GetUtcNow();
        for (var i = 0; i < attempts.Length; i++)
        {
            // Sources take turns; each gets an equal share of the attempts.
            var source = sources[i % sources.Length];
            if (blockedSources.Contains(source))
            {
                continue;
            }

            var (account, password) = attempts[i];
            var decision = detector.Check(source, account);
            if (decision.Gate == LoginGate.Block)
            {
                blocked ??= tried;
                blockedSources.Add(source);
                if (blockedSources.Count == sources.Length)
                {
                    break;
                }

                continue;
            }

            if (decision.Gate == LoginGate.Slow)
            {
                slowed ??= tried;
            }

            tried++;
            detector.RecordFailure(source, account, password);
            clock.Advance(pace + decision.Delay);
        }

        var duration = clock.GetUtcNow() - start;
        var home = LegitimateUser(detector, Home, victim);
        var away = LegitimateUser(detector, Away, victim);
        return new SprayOutcome(name, tried, slowed, blocked, sources.Length, detector.Blocks.Count, home, away, 0, duration);
    }

    private static SprayOutcome Office(string name, byte[] secret, int commonEvery, int seed)
    {
        // 400 people behind one NAT address, 2,000 failed logins 5 s apart (about 3 hours), each
        // with their own typos; 9 in 10 have logged in from the office before. With commonEvery,
        // every so many failures is a common password instead (someone trying an old one).
        var clock = new SimulatedClock();
        using var detector = new SprayingDetector(secret, new SprayingOptions(), clock);
        var common = CommonPasswords.Load();
        var nat = IPAddress.Parse("203.0.113.200");
        var random = new Random(seed);
        for (var user = 0; user < 400; user++)
        {
            if (user % 10 != 0)
            {
                detector.RecordSuccess(nat, $"staff{user}@example.org");
            }
        }

        long? slowed = null;
        long? blocked = null;
        long refused = 0;
        var start = clock.GetUtcNow();
        for (var i = 0; i < 2_000; i++)
        {
            var account = $"staff{random.Next(400)}@example.org";
            var decision = detector.Check(nat, account);
            clock.Advance(TimeSpan.FromSeconds(5));
            if (decision.Gate == LoginGate.Block)
            {
                blocked ??= i;
                refused++;
                continue;
            }

            if (decision.Gate == LoginGate.Slow)
            {
                slowed ??= i;
            }

            var password = commonEvery > 0 && i % commonEvery == 0 ? common[random.Next(common.Count)] : $"{account} typo {i}";
            detector.RecordFailure(nat, account, password);
            if (random.Next(3) == 0)
            {
                detector.RecordSuccess(nat, account);
            }
        }

        var duration = clock.GetUtcNow() - start;
        var home = LegitimateUser(detector, nat, "staff7@example.org");
        var away = LegitimateUser(detector, nat, "staff10@example.org");
        return new SprayOutcome(name, 2_000 - refused, slowed, blocked, 1, detector.Blocks.Count, home, away, refused, duration);
    }

    private static UserOutcome LegitimateUser(SprayingDetector detector, IPAddress address, string account)
    {
        var maxDelay = TimeSpan.Zero;
        var gotIn = true;
        foreach (var typo in new[] { "Wintr-sun-42", "Winter-sun-24" })
        {
            var decision = detector.Check(address, account);
            gotIn &= decision.Gate != LoginGate.Block;
            maxDelay = decision.Delay > maxDelay ? decision.Delay : maxDelay;
            detector.RecordFailure(address, account, typo);
        }

        var last = detector.Check(address, account);
        gotIn &= last.Gate != LoginGate.Block;
        maxDelay = last.Gate == LoginGate.Slow && last.Delay > maxDelay ? last.Delay : maxDelay;
        detector.RecordSuccess(address, account);
        gotIn &= detector.Check(address, account).Gate == LoginGate.Allow;
        return new UserOutcome(gotIn, maxDelay);
    }
}
