using System.Globalization;
using System.Text.Json.Nodes;
using Moat.Trust;

namespace Moat.Bench.Trust.Simulation;

/// <summary>The parameters of one modelled organisation and the world around it.</summary>
internal sealed record ScenarioOptions
{
    public string Name { get; init; } = "baseline";

    public ulong Seed { get; init; } = 1;

    /// <summary>Local users; every ham sender and every list belongs to one of them.</summary>
    public int Users { get; init; } = 20;

    /// <summary>Share of distinct personal ham senders the recipient wrote to first.</summary>
    public double Correspondents { get; init; } = 0.7;

    /// <summary>Probability that ham arrives authenticated and aligned (and its envelope authenticated).</summary>
    public double HamAuthenticated { get; init; } = 1.0;

    /// <summary>Probability that a spammer passes SPF/DKIM for its own envelope domain.</summary>
    public double SpamAuthenticated { get; init; } = 0.5;

    /// <summary>
    /// Probability that spam whose From domain legitimate senders also use (hotmail.com, yahoo.com…)
    /// was really sent from an account there, so it is authenticated and aligned.
    /// </summary>
    public double FreemailAbuse { get; init; }

    /// <summary>Probability that a legitimate sender answers a challenge.</summary>
    public double Answer { get; init; } = 0.9;

    /// <summary>Answers come this many hours after the challenge at most (uniformly from 1 minute).</summary>
    public double AnswerDelayHours { get; init; } = 24;

    /// <summary>Share of sender domains that publish DMARC p=reject or p=quarantine.</summary>
    public double DmarcEnforcing { get; init; } = 0.25;

    /// <summary>Whether subscribers added their lists' addresses by hand (TrustSource.Manual).</summary>
    public bool ListEntries { get; init; } = true;

    public UnknownSenderPolicy Policy { get; init; } = UnknownSenderPolicy.Challenge;

    /// <summary>Whether trusted lists' posts go through the list content check (trust.listContent.enabled).</summary>
    public bool ListContent { get; init; } = true;

    public static ScenarioOptions From(Arguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var defaults = new ScenarioOptions();
        return new ScenarioOptions
        {
            Name = args.Text("--name", defaults.Name),
            Seed = ulong.Parse(args.Text("--seed", "1"), CultureInfo.InvariantCulture),
            Users = Math.Max(1, args.Integer("--users", defaults.Users)),
            Correspondents = args.Fraction("--correspondents", defaults.Correspondents),
            HamAuthenticated = args.Fraction("--ham-auth", defaults.HamAuthenticated),
            SpamAuthenticated = args.Fraction("--spam-auth", defaults.SpamAuthenticated),
            FreemailAbuse = args.Fraction("--freemail-abuse", defaults.FreemailAbuse),
            Answer = args.Fraction("--answer", defaults.Answer),
            AnswerDelayHours = Math.Max(0.05, args.Number("--answer-delay-hours", defaults.AnswerDelayHours)),
            DmarcEnforcing = args.Fraction("--dmarc-enforcing", defaults.DmarcEnforcing),
            ListEntries = args.Text("--list-entries", "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--list-entries on|off, not {other}"),
            },
            Policy = Enum.Parse<UnknownSenderPolicy>(args.Text("--policy", defaults.Policy.ToString()), ignoreCase: true),
            ListContent = args.Text("--list-content", "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--list-content on|off, not {other}"),
            },
        };
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["seed"] = Seed,
        ["users"] = Users,
        ["correspondents"] = Correspondents,
        ["ham_auth"] = HamAuthenticated,
        ["spam_auth"] = SpamAuthenticated,
        ["freemail_abuse"] = FreemailAbuse,
        ["answer"] = Answer,
        ["answer_delay_hours"] = AnswerDelayHours,
        ["dmarc_enforcing"] = DmarcEnforcing,
        ["list_entries"] = ListEntries,
        ["policy"] = Policy.ToString().ToLowerInvariant(),
        ["list_content"] = ListContent,
    };
}
