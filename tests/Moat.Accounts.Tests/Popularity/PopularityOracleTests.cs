using Moat.Accounts.Popularity;

namespace Moat.Accounts.Tests.Popularity;

public sealed class PopularityOracleTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void APopularPasswordIsRefused()
    {
        var oracle = NewOracle(new PopularityOptions());
        const int users = 10_000; // T = max(2, ⌈10⁻⁴ · 10,000⌉) = 2
        Assert.Equal(2, oracle.Threshold(users));

        Assert.False(oracle.IsTooPopular("Tr0ub4dor&3", users));
        oracle.Add("Tr0ub4dor&3");
        Assert.False(oracle.IsTooPopular("Tr0ub4dor&3", users));
        oracle.Add("Tr0ub4dor&3");

        Assert.True(oracle.IsTooPopular("Tr0ub4dor&3", users));
        Assert.False(oracle.IsTooPopular("tr0ub4dor&3", users)); // no case folding
        Assert.Contains("any other you can remember is fine", PopularityOracle.RefusalMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingAPasswordDecrementsTheOldOne()
    {
        var oracle = NewOracle(new PopularityOptions());
        const int users = 30_000; // T = 3
        for (var i = 0; i < 3; i++)
        {
            oracle.Add("sunflower77");
        }

        Assert.Equal(3u, oracle.Estimate("sunflower77"));
        Assert.True(oracle.IsTooPopular("sunflower77", users));

        // One of the three changes to another password: remove the old, add the new.
        oracle.Remove("sunflower77");
        oracle.Add("marigold-1988");

        Assert.Equal(2u, oracle.Estimate("sunflower77"));
        Assert.Equal(1u, oracle.Estimate("marigold-1988"));
        Assert.False(oracle.IsTooPopular("sunflower77", users));

        // Removing an account removes its password too.
        oracle.Remove("marigold-1988");
        Assert.Equal(0u, oracle.Estimate("marigold-1988"));
    }

    [Fact]
    public void APasswordAtTheThresholdIsAlwaysRefused()
    {
        // About three counts of other passwords in every counter (and a width that is not a
        // power of two): the guarantee must hold whatever the collisions.
        var options = new PopularityOptions { Depth = 2, Width = 4099, Tau = 1e-3, MinimumThreshold = 2 };
        var oracle = NewOracle(options);
        var random = new Random(20100810);
        var truth = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 3_000; i++)
        {
            var password = RandomPassword(random);
            var times = random.Next(1, 8);
            for (var k = 0; k < times; k++)
            {
                oracle.Add(password);
            }

            truth[password] = truth.GetValueOrDefault(password) + times;
        }

        // Changes: some users leave their password, which must not break the guarantee either.
        foreach (var password in truth.Keys.Where((_, i) => i % 3 == 0).ToArray())
        {
            oracle.Remove(password);
            truth[password]--;
        }

        for (var users = 0; users <= 8_000; users += 500)
        {
            var threshold = oracle.Threshold(users);
            foreach (var (password, count) in truth)
            {
                Assert.True(oracle.Estimate(password) >= count);
                if (count >= threshold)
                {
                    Assert.True(oracle.IsTooPopular(password, users), $"count {count} ≥ T {threshold} but not refused");
                }
            }
        }
    }

    [Theory]
    [InlineData(1e-4, 2, 0, 2)]
    [InlineData(1e-4, 2, 19_999, 2)]
    [InlineData(1e-4, 2, 20_001, 3)]
    [InlineData(1e-4, 2, 1_000_000, 100)]
    [InlineData(1e-4, 2, 1_000_001, 101)]
    [InlineData(1e-5, 2, 1_000_000, 10)]
    [InlineData(1e-5, 5, 100_000, 5)]
    public void ThresholdIsTauNRoundedUpWithAFloor(double tau, int floor, int users, int expected)
    {
        var oracle = NewOracle(new PopularityOptions { Tau = tau, MinimumThreshold = floor, Width = 64 });
        Assert.Equal(expected, oracle.Threshold(users));
    }

    [Fact]
    public void ThresholdFollowsTheUserCountFromCallToCall()
    {
        var oracle = NewOracle(new PopularityOptions { Width = 64 });
        foreach (var (users, expected) in new[] { (1_000_000, 100), (5, 2), (1_000_000, 100), (1_000_001, 101), (1_000_001, 101), (0, 2) })
        {
            Assert.Equal(expected, oracle.Threshold(users));
        }
    }

    [Fact]
    public void CounterIndexesAreTheCountersAnAdditionMoves()
    {
        var options = new PopularityOptions { Depth = 5, Width = 1000 };
        var oracle = NewOracle(options);
        var indexes = oracle.CounterIndexes("hunter2-and-more");

        oracle.Add("hunter2-and-more");

        var counters = oracle.Sketch.ToArray();
        Assert.Equal(Enumerable.Range(0, counters.Length).Where(i => counters[i] == 1), indexes);
        Assert.Equal(Enumerable.Range(0, 5), indexes.Select(i => i / 1000));
    }

    [Theory]
    [InlineData(5, 1000)]
    [InlineData(4, 1 << 16)]
    public void CounterIndexesForAnotherShapeNeedNoSketchOfThatShape(int depth, int width)
    {
        // The account service used to build a whole 16 MiB sketch to learn four indexes.
        var small = NewOracle(new PopularityOptions { Depth = 1, Width = 1 });
        var full = NewOracle(new PopularityOptions { Depth = depth, Width = width });

        Assert.Equal(full.CounterIndexes("hunter2-and-more"), small.CounterIndexes("hunter2-and-more", depth, width));
    }

    [Fact]
    public void FalsePositiveBoundIsTheFormula()
    {
        Assert.Equal(Math.Pow(1e6 / (100.0 * (1 << 20)), 4), PopularityOracle.FalsePositiveBound(1_000_000, 100, 4, 1 << 20), 15);
        Assert.Equal(Math.Pow(0.5, 3), PopularityOracle.FalsePositiveBound(1000, 2, 3, 1000), 15);
        Assert.Equal(1.0, PopularityOracle.FalsePositiveBound(1_000_000, 2, 4, 10)); // capped
        Assert.Equal(0.0, PopularityOracle.FalsePositiveBound(0, 2, 4, 10));
    }

    [Theory]
    [InlineData(1_000_000, 100, 1e-6)]
    [InlineData(1_000_000, 10, 1e-4)]
    [InlineData(20_000, 2, 1e-3)]
    [InlineData(1_100_000, 100, 1e-8)]
    public void DimensionsAreTheSmallestSketchMeetingTheBound(long users, int threshold, double target)
    {
        var (depth, width) = PopularityOracle.Dimensions(users, threshold, target);

        Assert.InRange(depth, 1, PopularityOracle.MaximumProposedDepth);
        Assert.True(PopularityOracle.FalsePositiveBound(users, threshold, depth, width) <= target);
        Assert.True(PopularityOracle.FalsePositiveBound(users, threshold, depth, width - 1) > target);
        for (var d = 1; d <= PopularityOracle.MaximumProposedDepth; d++)
        {
            // No other depth reaches the target with fewer counters.
            var w = (long)Math.Ceiling((double)depth * width / d) - 1;
            if (w >= 1)
            {
                Assert.True(PopularityOracle.FalsePositiveBound(users, threshold, d, (int)w) > target, $"depth {d} width {w}");
            }
        }
    }

    [Fact]
    public void MeasuredFalsePositivesStayUnderTheBound()
    {
        // 20,000 users with distinct passwords, T = 2, 2 × 20,000 counters: bound (1/2)² = 0.25.
        const int users = 20_000;
        var options = new PopularityOptions { Tau = 1e-6, MinimumThreshold = 2, Depth = 2, Width = 20_000 };
        var oracle = NewOracle(options);
        var random = new Random(42);
        for (var i = 0; i < users; i++)
        {
            oracle.Add($"user-{i}-{RandomPassword(random)}");
        }

        const int trials = 20_000;
        var refused = 0;
        for (var i = 0; i < trials; i++)
        {
            if (oracle.IsTooPopular($"fresh-{i}-{RandomPassword(random)}", users))
            {
                refused++;
            }
        }

        var bound = PopularityOracle.FalsePositiveBound(users, oracle.Threshold(users), options.Depth, options.Width);
        Assert.Equal(0.25, bound, 12);
        Assert.InRange(refused, 1, (int)(bound * trials));
    }

    [Fact]
    public void SeededCommonPasswordsAreRefusedFromDayOne()
    {
        var oracle = NewOracle(new PopularityOptions());
        oracle.Seed(PopularityOracleSeed());

        foreach (var users in new[] { 1, 1_000, 1_000_000, 100_000_000 })
        {
            Assert.True(oracle.IsTooPopular("password", users));
            Assert.True(oracle.IsTooPopular("123456", users));
            Assert.True(oracle.IsTooPopular("letmein1", users));
            Assert.False(oracle.IsTooPopular("violet-kettle-49-drum", users));
        }

        Assert.Equal((uint)new PopularityOptions().SeedCount, oracle.Estimate("qwerty"));
    }

    [Fact]
    public void AUserWhosePasswordBecameTooPopularIsAskedToChange()
    {
        var oracle = NewOracle(new PopularityOptions());
        const int users = 100; // T = 2
        oracle.Add("blue-heron-7");
        oracle.Add("blue-heron-7");

        // Two accounts use it: each alone would still have been allowed it.
        Assert.False(oracle.ShouldAskToChange("blue-heron-7", users));
        oracle.Add("blue-heron-7");
        Assert.True(oracle.ShouldAskToChange("blue-heron-7", users));
        Assert.False(oracle.ShouldAskToChange("never-counted", users));
    }

    [Fact]
    public void TheSketchMeansNothingUnderAnotherSecret()
    {
        var options = new PopularityOptions { Width = 1 << 16 };
        var first = NewOracle(options);
        first.Add("correct horse");
        first.Add("correct horse");
        var other = new PopularityOracle(Enumerable.Repeat((byte)7, 32).ToArray(), CountMinSketch.FromArray(options.Depth, options.Width, first.Sketch.ToArray()), options);

        Assert.True(first.IsTooPopular("correct horse", 10));
        Assert.False(other.IsTooPopular("correct horse", 10));
    }

    [Fact]
    public void RefusesAShortSecret() =>
        Assert.Throws<ArgumentException>(() => new PopularityOracle(new byte[16], new CountMinSketch(2, 16), new PopularityOptions()));

    [Fact]
    public void HashesLongAndNonAsciiPasswords()
    {
        var oracle = NewOracle(new PopularityOptions { Width = 1 << 16 });
        var longPassword = new string('ä', 5_000);
        oracle.Add(longPassword);
        oracle.Add("pässwörd");

        Assert.Equal(1u, oracle.Estimate(longPassword));
        Assert.Equal(1u, oracle.Estimate("pässwörd"));
        Assert.Equal(0u, oracle.Estimate("passwort"));
    }

    private static IEnumerable<string> PopularityOracleSeed() => CommonPasswords.Load();

    private static PopularityOracle NewOracle(PopularityOptions options) => new(Secret, options.CreateSketch(), options);

    private static string RandomPassword(Random random)
    {
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next('!', '~' + 1);
        }

        return new string(chars);
    }
}
