using Moat.Audit.Probing;

namespace Moat.Audit.Fingerprints;

/// <summary>
/// Names the software behind a listener from what it said: each matching
/// <see cref="FingerprintRule"/> adds its weight to its product, the product with the highest
/// score wins when it leads clearly enough, and the version comes from the strongest matching
/// rule that reads one.
/// </summary>
public static class Fingerprinter
{
    /// <summary>Below this a product has shown too little of itself to be named (one shared trait is not enough).</summary>
    public const double MinimumScore = 0.6;

    /// <summary>The winner must lead the runner-up by this much; otherwise the guess is "unknown".</summary>
    public const double MinimumLead = 0.3;

    public static Fingerprint Identify(ListenerObservation observation) => Identify(observation, FingerprintRules.All);

    public static Fingerprint Identify(ListenerObservation observation, IReadOnlyList<FingerprintRule> rules)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!observation.SpeaksSmtp)
        {
            return Fingerprint.Unknown;
        }

        var subjects = new Dictionary<FingerprintSource, IReadOnlyList<string>>();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var matches = new List<(FingerprintRule Rule, string Line, string? Version)>();
        foreach (var rule in rules)
        {
            if (!subjects.TryGetValue(rule.Source, out var lines))
            {
                lines = subjects[rule.Source] = Subject(observation, rule.Source);
            }

            foreach (var line in lines)
            {
                var match = rule.Regex.Match(line);
                if (!match.Success)
                {
                    continue;
                }

                // A rule counts once, however many lines it matches.
                var version = match.Groups["version"] is { Success: true, Value.Length: > 0 } group ? group.Value : null;
                matches.Add((rule, line, version));
                scores[rule.Product] = scores.GetValueOrDefault(rule.Product) + rule.Weight;
                break;
            }
        }

        var ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var rounded = scores.ToDictionary(s => s.Key, s => Math.Round(s.Value, 2), StringComparer.Ordinal);
        if (ranked.Count == 0)
        {
            return Fingerprint.Unknown;
        }

        var (best, score) = ranked[0];
        var second = ranked.Count > 1 ? ranked[1].Value : 0;
        if (score < MinimumScore || score - second < MinimumLead)
        {
            var all = matches.Select(m => Describe(m.Rule, m.Line)).ToList();
            return new Fingerprint(Fingerprint.Unknown.Product, null, 0, all) { Scores = rounded };
        }

        var mine = matches.Where(m => m.Rule.Product == best).OrderByDescending(m => m.Rule.Weight).ToList();
        var found = mine.FirstOrDefault(m => m.Version is not null).Version;
        var confidence = Math.Round(Math.Min(0.99, 1 - Math.Exp(-(score - second))), 2);
        return new Fingerprint(best, found, confidence, mine.Select(m => Describe(m.Rule, m.Line)).ToList()) { Scores = rounded };
    }

    /// <summary>The lines a rule of <paramref name="source"/> is matched against.</summary>
    public static IReadOnlyList<string> Subject(ListenerObservation observation, FingerprintSource source) => source switch
    {
        FingerprintSource.Greeting => observation.Greeting,
        FingerprintSource.EhloLine => [.. observation.Ehlo, .. observation.EhloAfterTls],
        FingerprintSource.EhloKeywords => KeywordLines(observation),
        FingerprintSource.Help => Reply(observation, ProbeCommands.Help),
        FingerprintSource.UnknownCommand => Reply(observation, ProbeCommands.UnknownCommand),
        FingerprintSource.BadMailFrom => Reply(observation, ProbeCommands.BadMailFrom),
        FingerprintSource.Noop => Reply(observation, ProbeCommands.Noop),
        FingerprintSource.Rset => Reply(observation, ProbeCommands.Rset),
        FingerprintSource.Quit => Reply(observation, ProbeCommands.Quit),
        FingerprintSource.Vrfy => UserReplies(observation, "VRFY "),
        FingerprintSource.Expn => UserReplies(observation, "EXPN "),
        FingerprintSource.RelayReply => observation.RelayProbes.SelectMany(p => p.Replies).SelectMany(Lines).ToList(),
        _ => [],
    };

    private static List<string> KeywordLines(ListenerObservation observation)
    {
        var keywords = observation.Keywords.Count > 0 ? observation.Keywords : EhloKeywords.Parse(observation.Ehlo);
        List<string> lines = [];
        if (keywords.Count > 0)
        {
            lines.Add(string.Join(' ', keywords));
        }

        if (observation.EhloAfterTls.Count > 0)
        {
            lines.Add(string.Join(' ', EhloKeywords.Parse(observation.EhloAfterTls)));
        }

        return lines;
    }

    private static IReadOnlyList<string> Reply(ListenerObservation observation, string command) =>
        observation.Replies.TryGetValue(command, out var reply) ? Lines(reply) : [];

    private static List<string> UserReplies(ListenerObservation observation, string prefix) =>
        observation.UserEnumeration
            .Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => Lines(e.Value))
            .ToList();

    private static string[] Lines(string reply) => reply.Split('\n');

    private static string Describe(FingerprintRule rule, string line) =>
        rule.Source == FingerprintSource.EhloKeywords ? $"{rule.Trait}: {line}" : $"{rule.Trait}: S: {line}";
}
