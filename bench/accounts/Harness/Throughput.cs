using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Moat.Accounts.Popularity;

namespace Moat.Bench.Accounts;

/// <summary>
/// Oracle operations per second on one thread (one core), with no password hash (Argon2) in
/// the loop: the keyed hash (HMAC-SHA256) and the sketch are what an oracle check costs.
/// </summary>
internal sealed class Throughput(PasswordList list, int users, int seed, int rounds, double roundSeconds)
{
    private const int CandidateCount = 1 << 18;

    public sealed record Rates(double Checks, double Changes, double KeyedHashes, double SketchEstimates, int Depth, int Width);

    public Rates Measure(SimulationResult population)
    {
        var options = new PopularityOptions { Tau = population.Setting.Tau ?? 1e-4 };
        var oracle = new PopularityOracle(PopulationSimulation.Secret(seed), options.CreateSketch(), options);
        for (var i = 0; i < population.ListCounts.Length; i++)
        {
            for (var k = 0; k < population.ListCounts[i]; k++)
            {
                oracle.Add(list.Passwords[i]);
            }
        }

        // Half list passwords, half made-up ones of 8–14 characters, prepared before timing.
        var random = new Random(seed + 3);
        var candidates = new string[CandidateCount];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = i % 2 == 0 ? list.Passwords[list.Sample(random)] : RandomText(random);
        }

        var hashes = new byte[CandidateCount][];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = RandomNumberGenerator.GetBytes(32);
        }

        const int mask = CandidateCount - 1;
        var sink = 0L;
        var checks = Median(n =>
        {
            var refused = 0;
            for (var i = 0; i < n; i++)
            {
                if (oracle.IsTooPopular(candidates[i & mask], users))
                {
                    refused++;
                }
            }

            sink += refused;
        });

        var changes = Median(n =>
        {
            // A change is Remove(old) + Add(new); counted as two operations, on made-up passwords
            // only so the population stays as it was.
            for (var i = 0; i < n; i += 2)
            {
                var password = candidates[(i | 1) & mask];
                oracle.Add(password);
                oracle.Remove(password);
            }
        });

        var key = RandomNumberGenerator.GetBytes(32);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var keyed = Median(n =>
        {
            Span<byte> buffer = stackalloc byte[256];
            Span<byte> output = stackalloc byte[32];
            for (var i = 0; i < n; i++)
            {
                var length = Encoding.UTF8.GetBytes(candidates[i & mask], buffer);
                hmac.AppendData(buffer[..length]);
                hmac.GetHashAndReset(output);
                sink += output[0];
            }
        });

        var estimates = Median(n =>
        {
            uint total = 0;
            for (var i = 0; i < n; i++)
            {
                total += oracle.Sketch.Estimate(hashes[i & mask]);
            }

            sink += total;
        });

        GC.KeepAlive(sink);
        return new Rates(checks, changes, keyed, estimates, oracle.Sketch.Depth, oracle.Sketch.Width);
    }

    /// <summary>Runs the body in batches: 1 s warm-up, then the median rate of the timed rounds.</summary>
    private double Median(Action<int> body)
    {
        const int batch = 1 << 14;
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 1)
        {
            body(batch);
        }

        var rates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            long done = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < roundSeconds)
            {
                body(batch);
                done += batch;
            }

            rates.Add(done / watch.Elapsed.TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-.?@_";
        var chars = new char[random.Next(8, 15)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
