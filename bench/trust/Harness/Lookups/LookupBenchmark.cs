using System.Diagnostics;
using System.Text.Json.Nodes;
using Moat.Bench.Trust.Stores;
using Moat.Storage.Trust;
using Moat.Trust;
using Moat.Trust.Decisions;
using Moat.Trust.Lists;

namespace Moat.Bench.Trust.Lookups;

/// <summary>
/// Lookups per second of the trust decision on one thread with the cache warm: the lists of
/// <c>users</c> users with learned correspondents plus organisation-wide domain entries, about
/// <c>entries</c> in all, and a fixed mix of queries that hit by address, hit by a parent domain,
/// miss for this owner and miss altogether. Each lookup is what the filter does per message:
/// <see cref="TrustListCache.GetAsync"/> then <see cref="TrustEvaluator.Decide"/>; the figure for
/// Decide alone on a held snapshot is reported beside it.
/// </summary>
internal sealed class LookupBenchmark(int entries, int users, double warmupSeconds, int rounds, double roundSeconds)
{
    private const int OrganisationDomains = 1000;
    private const int Queries = 1 << 14;

    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var perUser = Math.Max(1, (entries - OrganisationDomains) / users);
        var list = new List<TrustEntry>(entries);
        for (var u = 0; u < users; u++)
        {
            for (var c = 0; c < perUser; c++)
            {
                list.Add(new TrustEntry(User(u), Correspondent(u, c), TrustSource.Learned, now));
            }
        }

        for (var d = 0; d < OrganisationDomains; d++)
        {
            list.Add(new TrustEntry(TrustEntry.Organisation, $"partner{d}.example", TrustSource.Manual, now));
        }

        var store = new InMemoryTrustStore();
        await store.AddRangeAsync(list, cancellationToken);
        var cache = new TrustListCache(store, new TrustOptions().ReloadCheckInterval);
        var snapshot = await cache.GetAsync(cancellationToken);

        // 40 % the owner's own correspondent, 20 % a subdomain of an organisation-wide domain,
        // 20 % another user's correspondent, 20 % nobody's; one in ten not authenticated.
        var random = new Random(7);
        var queries = new (string Identity, string[] Owners, bool Aligned)[Queries];
        for (var i = 0; i < Queries; i++)
        {
            var u = random.Next(users);
            var kind = random.Next(10);
            var identity = kind switch
            {
                < 4 => Correspondent(u, random.Next(perUser)),
                < 6 => $"someone{random.Next(1000)}@mail.partner{random.Next(OrganisationDomains)}.example",
                < 8 => Correspondent((u + 1 + random.Next(users - 1)) % users, random.Next(perUser)),
                _ => $"stranger{random.Next(100000)}@host{random.Next(1000)}.unknown{random.Next(1000)}.example.com",
            };
            queries[i] = (identity, [User(u)], random.Next(10) != 0);
        }

        var expected = Expected(snapshot, queries, now);
        _ = await MeasureAsync(cache, null, queries, now, warmupSeconds, cancellationToken);
        _ = await MeasureAsync(null, snapshot, queries, now, warmupSeconds / 2, cancellationToken);
        var throughCache = new List<Round>();
        var decideOnly = new List<Round>();
        for (var r = 0; r < rounds; r++)
        {
            throughCache.Add(await MeasureAsync(cache, null, queries, now, roundSeconds, cancellationToken));
            decideOnly.Add(await MeasureAsync(null, snapshot, queries, now, roundSeconds, cancellationToken));
        }

        return new JsonObject
        {
            ["entries"] = snapshot.Count,
            ["users"] = users,
            ["entries_per_user"] = perUser,
            ["organisation_domains"] = OrganisationDomains,
            ["queries"] = Queries,
            ["query_mix"] = "40% own correspondent, 20% subdomain of an organisation-wide domain, 20% another user's correspondent, 20% unknown; 10% not authenticated",
            ["trusted_share"] = Math.Round(expected, 3),
            ["warmup_seconds"] = warmupSeconds,
            ["rounds"] = rounds,
            ["round_seconds"] = roundSeconds,
            ["through_cache"] = Summarise(throughCache),
            ["decide_only"] = Summarise(decideOnly),
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
        };
    }

    private static string User(int u) => $"user{u:D3}@org.example";

    private static string Correspondent(int u, int c) => $"c{c}.u{u}@d{(c * 7919 + u) % 5000}.example.net";

    /// <summary>The share of queries that come out trusted, a check that the mix is what it claims.</summary>
    private static double Expected(TrustListSnapshot snapshot, (string Identity, string[] Owners, bool Aligned)[] queries, DateTimeOffset now) =>
        queries.Count(q => TrustEvaluator.Decide(snapshot, q.Identity, q.Aligned, q.Identity, q.Aligned, q.Owners, now).Level == TrustLevel.Trusted) / (double)queries.Length;

    /// <summary>
    /// Lookups for <paramref name="seconds"/>, the clock read every 1,024 lookups. With a cache,
    /// every lookup goes through GetAsync (which completes synchronously while the snapshot is
    /// current, and checks the store's change stamp every ReloadCheckInterval).
    /// </summary>
    private static async ValueTask<Round> MeasureAsync(
        TrustListCache? cache, TrustListSnapshot? held, (string Identity, string[] Owners, bool Aligned)[] queries, DateTimeOffset now, double seconds, CancellationToken cancellationToken)
    {
        var budget = (long)(seconds * Stopwatch.Frequency);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var collectionsBefore = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        long done = 0, trusted = 0, elapsed;
        var i = 0;
        do
        {
            for (var k = 0; k < 1024; k++)
            {
                var (identity, owners, aligned) = queries[i];
                i = (i + 1) & (Queries - 1);
                var snapshot = held ?? await cache!.GetAsync(cancellationToken);
                if (TrustEvaluator.Decide(snapshot, identity, aligned, identity, aligned, owners, now).Level == TrustLevel.Trusted)
                {
                    trusted++;
                }
            }

            done += 1024;
            elapsed = Stopwatch.GetTimestamp() - started;
        }
        while (elapsed < budget);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new Round(done / ((double)elapsed / Stopwatch.Frequency), allocated / (double)done, GC.CollectionCount(0) - collectionsBefore, trusted);
    }

    private static JsonObject Summarise(List<Round> rounds)
    {
        var rates = rounds.Select(r => r.PerSecond).Order().ToList();
        return new JsonObject
        {
            ["median_per_second"] = Math.Round(rates[rates.Count / 2]),
            ["min_per_second"] = Math.Round(rates[0]),
            ["max_per_second"] = Math.Round(rates[^1]),
            ["rounds_per_second"] = new JsonArray(rounds.Select(r => (JsonNode)Math.Round(r.PerSecond)).ToArray()),
            ["bytes_allocated_per_lookup"] = Math.Round(rounds.Average(r => r.BytesPerLookup)),
            ["gen0_collections"] = rounds.Sum(r => r.Gen0Collections),
            ["trusted"] = rounds.Sum(r => r.Trusted),
        };
    }
}
