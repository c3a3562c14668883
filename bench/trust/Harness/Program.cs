using System.Text.Json;
using System.Text.Json.Nodes;
using Moat.Bench.Trust;
using Moat.Bench.Trust.Lookups;
using Moat.Bench.Trust.Model;
using Moat.Bench.Trust.Reporting;
using Moat.Bench.Trust.Simulation;
using Moat.Trust.Challenges;
using Moat.Trust.Messages;

// The trust benchmark harness (bench/trust/run.sh drives it). Modes:
//   simulate --corpus TGZ [scenario options]   one modelled organisation through Moat.Trust; JSON on stdout
//   lookups [--entries N] [--users N] [--warmup-seconds S] [--rounds R] [--round-seconds S]
//                                              trust decisions per second on one thread; JSON on stdout
//   report --results DIR --command TEXT        the table and the Markdown fragment from the JSON files
var mode = args.FirstOrDefault();
var options = new Arguments(args.Skip(1).ToArray());
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

switch (mode)
{
    case "simulate":
    {
        var scenario = ScenarioOptions.From(options);
        var corpus = CorpusReader.Read(options.Text("--corpus"));
        var organisation = Organisation.Build(scenario, corpus);
        var result = await new TrustSimulation(scenario, organisation).RunAsync(cancel.Token);
        result["corpus"] = new JsonObject
        {
            ["messages"] = corpus.Count,
            ["ham"] = corpus.Count(m => !m.IsSpam),
            ["spam"] = corpus.Count(m => m.IsSpam),
            ["challenge_compose_fails"] = ComposeFailures(corpus),
            ["groups"] = new JsonObject(corpus.GroupBy(m => m.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
        };
        Write(result);
        return 0;
    }

    case "lookups":
    {
        var benchmark = new LookupBenchmark(
            options.Integer("--entries", 100_000),
            Math.Max(2, options.Integer("--users", 100)),
            options.Number("--warmup-seconds", 1),
            Math.Max(1, options.Integer("--rounds", 5)),
            options.Number("--round-seconds", 0.5));
        Write(await benchmark.RunAsync(cancel.Token));
        return 0;
    }

    case "report":
        Console.Write(Report.Build(options.Text("--results"), options.Text("--command")));
        return 0;

    default:
        await Console.Error.WriteLineAsync("usage: moat-bench-trust simulate|lookups|report [options] (see bench/trust/run.sh)");
        return 2;
}

// How many messages ChallengeComposer cannot answer (it throws), by kind: a property of the code
// under test on real headers, independent of the model.
static JsonObject ComposeFailures(IReadOnlyList<CorpusMessage> corpus)
{
    var composer = new ChallengeComposer(new Moat.Trust.ChallengeOptions(), "mx.org.example");
    var token = ChallengeToken.Create(new byte[32], DateTimeOffset.UtcNow.AddDays(14));
    int ham = 0, spam = 0;
    foreach (var message in corpus)
    {
        var traits = MessageTraits.FromHeaders(message.Headers);
        try
        {
            composer.Compose(new ChallengeRequest("sender@example.com", "user01@org.example", traits.Subject, traits.MessageId), token, DateTimeOffset.UtcNow);
        }
        catch (ArgumentException)
        {
            ham += message.IsSpam ? 0 : 1;
            spam += message.IsSpam ? 1 : 0;
        }
    }

    return new JsonObject { ["ham"] = ham, ["spam"] = spam };
}

static void Write(JsonObject result) =>
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
