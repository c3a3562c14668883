using System.Diagnostics.Metrics;
using System.Net;
using Moat.Accounts.Popularity;
using Moat.Accounts.Spraying;
using Moat.Testing;

namespace Moat.Accounts.Tests.Spraying;

public sealed class SprayingDetectorTests
{
    private static readonly byte[] Secret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress UserAddress = IPAddress.Parse("203.0.113.25");

    private readonly ManualClock clock = new();

    public static TheoryData<bool, bool, int> SprayOrders => new()
    {
        // seeded, passwordFirst, bound on attempts before the block
        { true, true, 25 },
        { true, false, 45 },
        { false, true, 30 },
        { false, false, 100 },
    };

    [Theory]
    [MemberData(nameof(SprayOrders))]
    public void ASprayerIsBlockedWithinABoundWhileAUserWithTyposGetsIn(bool seeded, bool passwordFirst, int bound)
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions { SeedCommonPasswords = seeded }, clock);
        var top20 = CommonPasswords.Load().Take(20).ToArray();
        var accounts = Enumerable.Range(0, 500).Select(i => $"user{i}@example.org").ToArray();
        var attempts = passwordFirst
            ? top20.SelectMany(p => accounts.Select(a => (Account: a, Password: p)))
            : accounts.SelectMany(a => top20.Select(p => (Account: a, Password: p)));

        var tried = 0;
        var slowedAt = 0;
        LoginDecision? blocked = null;
        foreach (var (account, password) in attempts)
        {
            var decision = detector.Check(Attacker, account);
            if (decision.Gate == LoginGate.Block)
            {
                blocked = decision;
                break;
            }

            if (decision.Gate == LoginGate.Slow && slowedAt == 0)
            {
                slowedAt = tried + 1;
            }

            tried++;
            detector.RecordFailure(Attacker, account, password);
            clock.Advance(TimeSpan.FromMilliseconds(200) + decision.Delay);
        }

        Assert.NotNull(blocked);
        Assert.InRange(tried, 1, bound);
        Assert.InRange(slowedAt, 1, tried);
        Assert.True(blocked.Delay > TimeSpan.FromMinutes(59));
        var block = Assert.Single(detector.Blocks);
        Assert.Equal("198.51.100.0/24", block.Network);
        Assert.Contains("spraying", block.Reason, StringComparison.Ordinal);

        // Every other address of the /24 is blocked too, for any account.
        Assert.Equal(LoginGate.Block, detector.Check(IPAddress.Parse("198.51.100.200"), "someone@example.org").Gate);

        // A legitimate user elsewhere, whose account the sprayer also tried: two typos, then the
        // right password. Never blocked; in once the password is right.
        const string alice = "user3@example.org";
        foreach (var typo in new[] { "Wintr-sun-42", "Winter-sun-24" })
        {
            Assert.NotEqual(LoginGate.Block, detector.Check(UserAddress, alice).Gate);
            detector.RecordFailure(UserAddress, alice, typo);
        }

        Assert.NotEqual(LoginGate.Block, detector.Check(UserAddress, alice).Gate);
        detector.RecordSuccess(UserAddress, alice);
        Assert.Equal(LoginGate.Allow, detector.Check(UserAddress, alice).Gate);
    }

    [Fact]
    public void AUsersOwnMistakesAreSlowedButNeverBlocked()
    {
        var options = new SprayingOptions();
        using var detector = new SprayingDetector(Secret, options, clock);
        var maxDelay = TimeSpan.Zero;

        // A stale password in a phone retried for hours, then assorted typos including common
        // passwords: one account, one address.
        for (var i = 0; i < 300; i++)
        {
            var decision = detector.Check(UserAddress, "bob@example.org");
            Assert.NotEqual(LoginGate.Block, decision.Gate);
            maxDelay = decision.Delay > maxDelay ? decision.Delay : maxDelay;
            var password = (i % 3) switch
            {
                0 => "old-password-2019",
                1 => $"typo{i}",
                _ => CommonPasswords.Load()[i % 50],
            };
            detector.RecordFailure(UserAddress, "bob@example.org", password);
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(options.AccountMaximumDelay, maxDelay);
        Assert.Empty(detector.Blocks);
    }

    [Fact]
    public void TheAccountDelayGrowsAndASuccessClearsIt()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            delays.Add(detector.Check(UserAddress, "carol@example.org").Delay);
            detector.RecordFailure(UserAddress, "carol@example.org", $"wrong-{i}");
        }

        Assert.Equal([0, 0, 0, 1, 2, 4, 8, 16], delays.Select(d => (int)Math.Round(d.TotalSeconds)));
        detector.RecordSuccess(UserAddress, "carol@example.org");
        Assert.Equal(LoginDecision.Allowed, detector.Check(UserAddress, "carol@example.org"));
    }

    [Fact]
    public void StrangersElsewhereDoNotSlowAnAccountAtItsOwnersNetwork()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        detector.RecordSuccess(UserAddress, "frank@example.org");

        // Somebody guesses at frank's account from elsewhere: they are slowed ...
        for (var i = 0; i < 10; i++)
        {
            detector.RecordFailure(Attacker, "frank@example.org", $"guess-{i}");
        }

        Assert.Equal(LoginGate.Slow, detector.Check(Attacker, "frank@example.org").Gate);
        Assert.Equal(LoginGate.Slow, detector.Check(IPAddress.Parse("192.0.2.1"), "frank@example.org").Gate);

        // ... but frank at home is not, until he mistypes himself.
        Assert.Equal(LoginGate.Allow, detector.Check(UserAddress, "frank@example.org").Gate);
        for (var i = 0; i < 3; i++)
        {
            detector.RecordFailure(UserAddress, "frank@example.org", $"typo-{i}");
        }

        var decision = detector.Check(UserAddress, "frank@example.org");
        Assert.Equal(LoginGate.Slow, decision.Gate);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.Delay);
    }

    [Fact]
    public void UnpopularFailuresOnManyAccountsDoNotBlock()
    {
        // An office behind one NAT address: many users, each with their own typos.
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        for (var i = 0; i < 2_000; i++)
        {
            var account = $"staff{i % 400}@example.org";
            Assert.NotEqual(LoginGate.Block, detector.Check(UserAddress, account).Gate);
            detector.RecordFailure(UserAddress, account, $"{account}-typo-{i}");
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Empty(detector.Blocks);
    }

    [Fact]
    public void DecayLiftsABlockAfterTime()
    {
        var options = new SprayingOptions();
        using var detector = new SprayingDetector(Secret, options, clock);
        Spray(detector, Attacker, 40);
        Assert.Equal(LoginGate.Block, detector.Check(Attacker, "user1@example.org").Gate);

        clock.Advance(options.BlockDuration + TimeSpan.FromSeconds(1));
        Assert.NotEqual(LoginGate.Block, detector.Check(Attacker, "user1@example.org").Gate);
        Assert.Empty(detector.Blocks);

        clock.Advance(options.HalfLife * 10);
        Assert.Equal(LoginGate.Allow, detector.Check(Attacker, "user1@example.org").Gate);
    }

    [Fact]
    public void AnAccountThatLoggedInFromABlockedNetworkStillGetsIn()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        var neighbour = IPAddress.Parse("198.51.100.20");
        detector.RecordSuccess(neighbour, "dave@example.org");

        Spray(detector, Attacker, 40);

        Assert.Equal(LoginGate.Block, detector.Check(neighbour, "erin@example.org").Gate);
        Assert.Equal(LoginGate.Allow, detector.Check(neighbour, "Dave@Example.org").Gate);
    }

    [Fact]
    public void AnIPv6SourceIsJudgedByItsSlash64()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        var top = CommonPasswords.Load();
        for (var i = 0; i < 40; i++)
        {
            // A fresh address of the same /64 for every attempt.
            detector.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), $"user{i}@example.org", top[i % 5]);
        }

        Assert.Equal(LoginGate.Block, detector.Check(IPAddress.Parse("2001:db8:1:2:ffff::1"), "x@example.org").Gate);
        Assert.Equal("2001:db8:1:2::/64", Assert.Single(detector.Blocks).Network);
        Assert.Equal(LoginGate.Allow, detector.Check(IPAddress.Parse("2001:db8:1:3::1"), "x@example.org").Gate);
        Assert.Equal(LoginGate.Allow, detector.Check(IPAddress.Parse("::ffff:198.51.100.7"), "x@example.org").Gate);
    }

    [Fact]
    public void UnblockAndRestore()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        Spray(detector, Attacker, 40);
        var saved = detector.Blocks;

        Assert.True(detector.Unblock("198.51.100.0/24"));
        Assert.False(detector.Unblock("198.51.100.0/24"));
        Assert.Equal(LoginGate.Allow, detector.Check(Attacker, "user1@example.org").Gate);

        using var restarted = new SprayingDetector(Secret, new SprayingOptions(), clock);
        restarted.Restore(saved);
        Assert.Equal(LoginGate.Block, restarted.Check(Attacker, "user1@example.org").Gate);
        Assert.Equal(saved, restarted.Blocks);
    }

    [Fact]
    public void StateStaysBoundedUnderManySources()
    {
        var options = new SprayingOptions { MaximumSources = 500, MaximumAccounts = 300, MaximumBlocks = 50 };
        using var detector = new SprayingDetector(Secret, options, clock);
        var top = CommonPasswords.Load();
        for (var i = 0; i < 20_000; i++)
        {
            var source = new IPAddress(BitConverter.GetBytes(0x0A000000u + ((uint)i << 8)).Reverse().ToArray());
            detector.RecordFailure(source, $"user{i % 5_000}@example.org", top[i % 100]);
            if (i % 100 == 0)
            {
                // A few sources spray hard enough to be blocked.
                for (var k = 0; k < 30; k++)
                {
                    detector.RecordFailure(source, $"victim{k}@example.org", top[k]);
                }
            }
        }

        Assert.InRange(detector.TrackedSources, 1, 500);
        Assert.InRange(detector.TrackedAccounts, 1, 300);
        Assert.InRange(detector.Blocks.Count, 1, 50);
    }

    [Fact]
    public void NoPasswordAppearsInDecisionsOrBlocks()
    {
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock);
        Spray(detector, Attacker, 40);
        var texts = detector.Blocks.Select(b => b.Reason + b.Network)
            .Append(detector.Check(Attacker, "user1@example.org").Reason)
            .ToArray();

        // ("password" itself is left out: the reason says "password spraying".)
        foreach (var password in CommonPasswords.Load().Skip(1).Take(4))
        {
            Assert.DoesNotContain(texts, t => t.Contains(password, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void BlocksAreVisibleInMetrics()
    {
        using var meters = new TestMeterFactory();
        using var detector = new SprayingDetector(Secret, new SprayingOptions(), clock, meters);
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == "Moat.Accounts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (totals)
            {
                totals[instrument.Name] = instrument is ObservableGauge<int> ? value : totals.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (totals)
            {
                totals[instrument.Name] = value;
            }
        });
        listener.Start();

        Spray(detector, Attacker, 40);
        detector.Check(Attacker, "user1@example.org");
        detector.Check(Attacker, "user2@example.org");
        listener.RecordObservableInstruments();

        Assert.Equal(1, totals["sources.blocked"]);
        Assert.Equal(2, totals["logins.blocked"]);
        Assert.Equal(1, totals["blocks.active"]);
        Assert.True(totals.GetValueOrDefault("logins.slowed") >= 0);
    }

    private static void Spray(SprayingDetector detector, IPAddress source, int attempts)
    {
        var top = CommonPasswords.Load();
        for (var i = 0; i < attempts; i++)
        {
            detector.RecordFailure(source, $"user{i}@example.org", top[i % 5]);
        }
    }
}
