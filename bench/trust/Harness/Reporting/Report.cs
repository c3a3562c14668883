using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Moat.Bench.Trust.Reporting;

/// <summary>
/// Turns the JSON the other modes wrote (scenario-*.json, lookups.json, machine.txt in one folder)
/// into the plain-text report and, after a <c>&lt;!-- markdown --&gt;</c> line, the Markdown
/// fragment for docs/benchmarks.md. The first scenario is the one the goals are judged on.
/// </summary>
internal static class Report
{
    private const double SpamGoal = 0.005;
    private const double KnownGoal = 0.005;
    private const double LookupGoal = 100_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Build(string folder, string command)
    {
        var scenarios = Directory.EnumerateFiles(folder, "scenario-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
        if (scenarios.Count == 0)
        {
            throw new InvalidOperationException($"no scenario-*.json in {folder}");
        }

        var lookupsFile = Path.Combine(folder, "lookups.json");
        var lookups = File.Exists(lookupsFile) ? JsonNode.Parse(File.ReadAllText(lookupsFile))!.AsObject() : null;
        var machineFile = Path.Combine(folder, "machine.txt");
        var machine = File.Exists(machineFile) ? File.ReadAllText(machineFile).TrimEnd() : "(not recorded)";

        var main = scenarios[0];
        var text = new StringBuilder();
        var md = new StringBuilder();
        var corpus = main["corpus"]!;
        var corpusLine = $"SpamAssassin public corpus, {N(corpus["messages"])} messages ({N(corpus["ham"])} ham, {N(corpus["spam"])} spam), "
            + $"plus {N(Cat(main, "forged")["messages"])} forged copies of the spam";
        text.AppendLine("Trust benchmark: Moat.Trust's decision code over a modelled organisation");
        text.AppendLine("corpus:  " + corpusLine);
        text.AppendLine("command: " + command);
        text.AppendLine();

        md.AppendLine($"Command: `{command}`. Corpus: {corpusLine}.");
        md.AppendLine();
        md.AppendLine("Machine:");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(machine);
        md.AppendLine("```");
        md.AppendLine();

        // The main scenario in full.
        var table = Outcomes(main);
        text.AppendLine($"Scenario {Describe(main)}");
        text.AppendLine(Organisation(main));
        text.Append(table.ToText());
        text.AppendLine(Challenges(main));
        text.AppendLine();
        md.AppendLine($"**Scenario {Describe(main)}.** {Organisation(main)}");
        md.AppendLine();
        md.Append(table.ToMarkdown());
        md.AppendLine();
        md.AppendLine(Challenges(main));
        md.AppendLine();

        var goals = Goals(main, lookups);
        text.AppendLine("Goals (scenario " + Str(main["scenario"]!["name"]) + "):");
        text.Append(goals.ToText());
        text.AppendLine();
        md.AppendLine("**Goals** (scenario " + Str(main["scenario"]!["name"]) + "):");
        md.AppendLine();
        md.Append(goals.ToMarkdown());
        md.AppendLine();

        if (scenarios.Count > 1)
        {
            var sensitivity = Sensitivity(scenarios);
            text.AppendLine("Sensitivity (one parameter changed from the first scenario each):");
            text.Append(sensitivity.ToText());
            text.AppendLine();
            md.AppendLine("**Sensitivity** (each row changes the parameters named; everything else as in the first):");
            md.AppendLine();
            md.Append(sensitivity.ToMarkdown());
            md.AppendLine();
        }

        if (lookups is not null)
        {
            var line = Lookups(lookups);
            text.AppendLine(line);
            md.AppendLine(line);
            md.AppendLine();
        }

        foreach (var scenario in scenarios)
        {
            var why = Reasons(scenario);
            if (why.Length > 0)
            {
                text.AppendLine($"Why known-sender or stranger mail was not delivered at once ({Str(scenario["scenario"]!["name"])}):");
                text.AppendLine(why);
            }
        }

        text.AppendLine("<!-- markdown -->");
        text.Append(md);
        return text.ToString();
    }

    private static Table Outcomes(JsonObject scenario)
    {
        var table = new Table("mail", "messages", "inbox at once", "held → released", "held → expired", "quarantined", "rejected", "reached inbox");
        foreach (var (key, label) in new[]
                 {
                     ("correspondent", "legitimate, known: correspondents (learned)"),
                     ("subscription", "legitimate, known: lists and newsletters (manual)"),
                     ("stranger", "legitimate, unknown senders"),
                     ("spam", "spam sent straight to the organisation"),
                     ("list_spam", "spam distributed by a subscribed list"),
                     ("forged", "spam forging a correspondent"),
                 })
        {
            var c = Cat(scenario, key);
            var messages = I(c["messages"]);
            var atOnce = I(c["trusted"]) + I(c["familiar"]) + I(c["accepted"]);
            table.Add(
                label,
                N(messages),
                Share(atOnce, messages),
                Share(I(c["released"]), messages),
                Share(I(c["expired"]), messages),
                Share(I(c["quarantined"]), messages),
                Share(I(c["rejected"]), messages),
                Share(I(c["inbox"]), messages));
        }

        return table;
    }

    private static Table Goals(JsonObject scenario, JsonObject? lookups)
    {
        var (spamIn, spamAll) = SpamInInbox(scenario);
        var (knownBad, knownAll) = KnownMisclassified(scenario);
        var listSpam = Cat(scenario, "list_spam");
        var c = Cat(scenario, "correspondent");
        var s = Cat(scenario, "subscription");
        var forgedChallenges = I(scenario["challenges"]!["to_forged_senders"]);
        var forged = Cat(scenario, "forged");
        var table = new Table("measure", "result", "goal", "met");
        table.Add("spam reaching the inbox (all spam: direct, via lists, forged)", $"{Pct(spamIn, spamAll)} ({N(spamIn)} of {N(spamAll)})", "≤ 0.5 %", Met(spamIn <= SpamGoal * spamAll));
        var (directIn, directAll) = (spamIn - I(listSpam["inbox"]), spamAll - I(listSpam["messages"]));
        table.Add("  the same without the spam subscribed lists distributed", $"{Pct(directIn, directAll)} ({N(directIn)} of {N(directAll)})", "(context)", Met(directIn <= SpamGoal * directAll));
        table.Add(
            "legitimate mail from known senders held, quarantined or rejected",
            $"{Pct(knownBad, knownAll)} ({N(knownBad)} of {N(knownAll)}; correspondents {N(I(c["messages"]) - AtOnce(c))} of {N(c["messages"])}"
                + (B(scenario["scenario"]!["list_entries"]) ? $", lists {N(I(s["messages"]) - AtOnce(s))} of {N(s["messages"])})" : ")"),
            "≤ 0.5 %",
            Met(knownBad <= KnownGoal * knownAll));
        table.Add("challenges to forged senders", N(forgedChallenges), "0", Met(forgedChallenges == 0));
        table.Add(
            "forged-trusted messages let through",
            $"{N(forged["inbox"])} (of {N(forged["messages"])}; {N(forged["listed_but_unauthenticated"])} matched an allow-list entry that did not count)",
            "0",
            Met(I(forged["inbox"]) == 0));
        if (lookups is not null)
        {
            var rate = D(lookups["through_cache"]!["median_per_second"]);
            table.Add("trust lookups per second, one thread, cache warm", N((long)rate), "≥ 100,000", Met(rate >= LookupGoal));
        }

        return table;
    }

    private static Table Sensitivity(List<JsonObject> scenarios)
    {
        var table = new Table(
            "scenario", "spam in inbox", "correspondents not at once", "lists not at once", "strangers reached inbox",
            "strangers lost", "strangers quarantined", "challenges sent", "to forged senders", "forged let through");
        JsonObject? first = null;
        foreach (var scenario in scenarios)
        {
            var (spamIn, spamAll) = SpamInInbox(scenario);
            var c = Cat(scenario, "correspondent");
            var l = Cat(scenario, "subscription");
            var st = Cat(scenario, "stranger");
            var strangers = I(st["messages"]);
            table.Add(
                Str(scenario["scenario"]!["name"]) + (first is null ? " (as above)" : " (" + Changed(first, scenario) + ")"),
                Pct(spamIn, spamAll),
                Pct(I(c["messages"]) - AtOnce(c), I(c["messages"])),
                Pct(I(l["messages"]) - AtOnce(l), I(l["messages"])),
                Pct(I(st["inbox"]), strangers),
                Pct(I(st["expired"]) + I(st["rejected"]), strangers),
                Pct(I(st["quarantined"]), strangers),
                N(scenario["challenges"]!["sent"]),
                N(scenario["challenges"]!["to_forged_senders"]),
                N(Cat(scenario, "forged")["inbox"]));
            first ??= scenario;
        }

        return table;
    }

    private static string Lookups(JsonObject lookups)
    {
        var cache = lookups["through_cache"]!;
        var decide = lookups["decide_only"]!;
        return $"Lookups: {N((long)D(cache["median_per_second"]))}/s on one thread through TrustListCache.GetAsync + TrustEvaluator.Decide "
            + $"(median of {N(lookups["rounds"])} rounds of {D(lookups["round_seconds"]).ToString(Invariant)} s after {D(lookups["warmup_seconds"]).ToString(Invariant)} s of warm-up; "
            + $"rounds {N((long)D(cache["min_per_second"]))}–{N((long)D(cache["max_per_second"]))}/s; {N((long)D(cache["bytes_allocated_per_lookup"]))} bytes allocated per lookup); "
            + $"Decide alone on a held snapshot {N((long)D(decide["median_per_second"]))}/s. Snapshot: {N(lookups["entries"])} entries "
            + $"({N(lookups["users"])} users × {N(lookups["entries_per_user"])} learned addresses + {N(lookups["organisation_domains"])} organisation-wide domains); "
            + $"queries: {Str(lookups["query_mix"])}; {D(lookups["trusted_share"]) * 100:0.#} % come out trusted. Goal ≥ 100,000/s per core: "
            + Met(D(cache["median_per_second"]) >= LookupGoal) + ".";
    }

    /// <summary>Reasons for legitimate mail that was not delivered at once, per category.</summary>
    private static string Reasons(JsonObject scenario)
    {
        var text = new StringBuilder();
        foreach (var key in new[] { "correspondent", "subscription", "stranger" })
        {
            foreach (var (reason, count) in Cat(scenario, key)["reasons"]!.AsObject())
            {
                text.AppendLine($"  {key,-13} {N(count),6}  {reason}");
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string Describe(JsonObject scenario)
    {
        var s = scenario["scenario"]!;
        return $"{Str(s["name"])}: seed {N(s["seed"])}, {N(s["users"])} users, {D(s["correspondents"]) * 100:0.#} % of personal senders are correspondents, "
            + $"ham authenticated and aligned {D(s["ham_auth"]):0.##}, spam authenticated for its own domain {D(s["spam_auth"]):0.##}, "
            + $"freemail abuse {D(s["freemail_abuse"]):0.##}, challenges answered {D(s["answer"]):0.##} within {D(s["answer_delay_hours"]):0.#} h, "
            + $"DMARC enforcing domains {D(s["dmarc_enforcing"]):0.##}, list entries {(B(s["list_entries"]) ? "on" : "off")}, unknown-sender policy {Str(s["policy"])}";
    }

    private static string Changed(JsonObject first, JsonObject scenario)
    {
        var a = first["scenario"]!.AsObject();
        var b = scenario["scenario"]!.AsObject();
        var changed = b.Where(p => p.Key != "name" && !JsonNode.DeepEquals(p.Value, a[p.Key])).Select(p => $"{p.Key} {p.Value?.ToJsonString().Trim('"')}").ToList();
        return changed.Count == 0 ? "same parameters" : string.Join(", ", changed);
    }

    private static string Organisation(JsonObject scenario)
    {
        var o = scenario["organisation"]!;
        return $"Organisation: {N(o["users"])} users; {N(o["personal_senders"])} distinct personal ham senders, {N(o["correspondents"])} of them correspondents "
            + $"({N(o["learned_entries"])} entries learned from generated outbound mail), {N(o["strangers"])} strangers; {N(o["subscriptions"])} lists and newsletters "
            + $"({N(o["manual_entries"])} manual entries); {N(o["spam_from_legitimate_domains"])} spam messages come From a domain legitimate senders use too; "
            + $"mail from {Str(o["first_message"])} to {Str(o["last_message"])}; {N(o["entries_at_end"])} allow-list entries at the end.";
    }

    private static string Challenges(JsonObject scenario)
    {
        var c = scenario["challenges"]!;
        return $"Challenges sent: {N(c["sent"])} (to legitimate senders {N(c["to_legitimate"])}, to spammers at their own authenticated domains {N(c["to_spammers_own_domains"])}, "
            + $"to forged senders {N(c["to_forged_senders"])}); messages held again from a sender who had already confirmed: {N(c["held_after_sender_confirmed"])}; challenge attempts that threw (answered 451): {N(c["failures"])}, {N(c["failures_legitimate"])} of them for legitimate mail; further messages held because the sender was already challenged that day: {N(c["held_already_challenged"])}; "
            + $"answers: {N(c["answers_drawn"])} sent, {N(c["answers_confirmed"])} confirmed, {N(c["answers_already_confirmed"])} already confirmed, {N(c["answers_invalid"])} too late or invalid.";
    }

    private static (long In, long All) SpamInInbox(JsonObject scenario)
    {
        var keys = new[] { "spam", "list_spam", "forged" };
        return (keys.Sum(k => I(Cat(scenario, k)["inbox"])), keys.Sum(k => I(Cat(scenario, k)["messages"])));
    }

    /// <summary>Known senders: correspondents, and subscribed lists when their entries exist.</summary>
    private static (long Bad, long All) KnownMisclassified(JsonObject scenario)
    {
        var c = Cat(scenario, "correspondent");
        var bad = I(c["messages"]) - AtOnce(c);
        var all = I(c["messages"]);
        if (B(scenario["scenario"]!["list_entries"]))
        {
            var s = Cat(scenario, "subscription");
            bad += I(s["messages"]) - AtOnce(s);
            all += I(s["messages"]);
        }

        return (bad, all);
    }

    private static long AtOnce(JsonNode c) => I(c["trusted"]) + I(c["familiar"]) + I(c["accepted"]);

    private static JsonNode Cat(JsonObject scenario, string key) => scenario["categories"]![key]!;

    private static long I(JsonNode? node) => node?.GetValue<long>() ?? 0;

    private static double D(JsonNode? node) => node?.GetValue<double>() ?? 0;

    private static bool B(JsonNode? node) => node?.GetValue<bool>() ?? false;

    private static string Str(JsonNode? node) => node?.ToString() ?? "?";

    private static string N(JsonNode? node) => N(I(node));

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string Share(long part, long all) => all == 0 ? "–" : $"{N(part)} ({Pct(part, all)})";

    private static string Pct(long part, long all) => all == 0 ? "–" : (100.0 * part / all).ToString("0.00", Invariant) + " %";

    private static string Met(bool met) => met ? "met" : "NOT met";
}
