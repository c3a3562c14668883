using MimeKit;
using Moat.Bench.Trust.Simulation;
using Moat.Trust.Messages;

namespace Moat.Bench.Trust.Model;

/// <summary>
/// The modelled organisation: N local users, the corpus's ham split among them as mail from
/// correspondents, strangers and subscribed lists, the spam as delivered, and a forged copy of
/// every spam message under a correspondent's name. Every random choice is a seeded draw keyed by
/// what it decides (<see cref="StableRandom"/>).
/// </summary>
internal sealed class Organisation
{
    public const string LocalDomain = "org.example";

    public required IReadOnlyList<string> Users { get; init; }

    /// <summary>Correspondent address → the user who wrote to them.</summary>
    public required IReadOnlyDictionary<string, string> Correspondents { get; init; }

    /// <summary>Distinct personal ham senders (correspondents and strangers).</summary>
    public required int PersonalSenders { get; init; }

    /// <summary>List (or newsletter) address → the user subscribed to it.</summary>
    public required IReadOnlyDictionary<string, string> Subscriptions { get; init; }

    /// <summary>Organisational domains legitimate mail comes from (sender, list and envelope domains of the ham).</summary>
    public required IReadOnlySet<string> LegitimateDomains { get; init; }

    /// <summary>Spam whose From domain legitimate senders use too (freemail mostly).</summary>
    public required int SpamFromLegitimateDomains { get; init; }

    /// <summary>Every inbound message in arrival order.</summary>
    public required IReadOnlyList<InboundMail> Mail { get; init; }

    /// <summary>A day before the first message: when the users' earlier outbound mail is learned.</summary>
    public required DateTimeOffset Start { get; init; }

    public static Organisation Build(ScenarioOptions options, IReadOnlyList<CorpusMessage> corpus)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(corpus);
        var seed = options.Seed;
        var users = Enumerable.Range(1, options.Users).Select(i => $"user{i:D2}@{LocalDomain}").ToArray();
        var parsed = corpus.Select(m => new ParsedMessage(m, MessageTraits.FromHeaders(m.Headers))).ToList();
        var ham = parsed.Where(p => !p.Message.IsSpam).ToList();

        // Who is who: personal senders (no list markers) and subscriptions (list or bulk mail,
        // keyed by the list's address, else the newsletter's From).
        var personal = ham.Where(p => !p.Traits.IsListTraffic && p.From is not null).Select(p => p.From!).Distinct().Order(StringComparer.Ordinal).ToList();
        var owner = personal.ToDictionary(s => s, s => StableRandom.Pick(seed, "user", s, users), StringComparer.Ordinal);
        var correspondents = personal
            .Where(s => StableRandom.Unit(seed, "correspondent", s) < options.Correspondents)
            .ToDictionary(s => s, s => owner[s], StringComparer.Ordinal);
        var subscriptions = ham.Where(p => p.Traits.IsListTraffic && p.ListKey is not null).Select(p => p.ListKey!).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => StableRandom.Pick(seed, "subscriber", k, users), StringComparer.Ordinal);
        var legitimateDomains = ham
            .SelectMany(p => new[] { p.From, p.ListAddress, p.Envelope })
            .Where(a => !string.IsNullOrEmpty(a))
            .Select(a => MailAddresses.OrganisationalDomain(MailAddresses.Domain(a!)))
            .ToHashSet(StringComparer.Ordinal);

        bool Enforces(string? address) =>
            !string.IsNullOrEmpty(address) && address.Contains('@')
            && StableRandom.Unit(seed, "dmarc", MailAddresses.OrganisationalDomain(MailAddresses.Domain(address))) < options.DmarcEnforcing;

        var mail = new List<InboundMail>();
        foreach (var p in ham)
        {
            var key = p.Message.ToString();
            var authenticated = StableRandom.Unit(seed, "ham-auth", key) < options.HamAuthenticated;
            if (p.Traits.IsListTraffic && p.ListKey is not null)
            {
                // A list that rewrites From to its own address (what lists do for DMARC), keeps the
                // author in Reply-To and signs what it distributes; a newsletter sends as itself.
                var headers = p.ListAddress is null ? p.Message.Headers : AsListPost(p.Message.Headers, p.ListAddress);
                mail.Add(Ham(p, MailCategory.Subscription, subscriptions[p.ListKey], headers, authenticated, Enforces(p.ListKey)));
            }
            else if (p.From is not null)
            {
                var category = correspondents.ContainsKey(p.From) ? MailCategory.Correspondent : MailCategory.Stranger;
                mail.Add(Ham(p, category, owner[p.From], p.Message.Headers, authenticated, Enforces(p.From)));
            }
        }

        var spamFromLegitimateDomains = 0;
        var correspondentsOf = users.ToDictionary(
            u => u,
            u => correspondents.Where(c => c.Value == u).Select(c => c.Key).Order(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        var everyCorrespondent = correspondents.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var p in parsed.Where(p => p.Message.IsSpam))
        {
            var key = p.Message.ToString();
            if (p.ListAddress is not null && subscriptions.TryGetValue(p.ListAddress, out var subscriber))
            {
                // Spam a subscribed list distributed: it arrives as the list's mail.
                var authenticated = StableRandom.Unit(seed, "ham-auth", key) < options.HamAuthenticated;
                mail.Add(new InboundMail
                {
                    Source = p.Message,
                    Category = MailCategory.ListSpam,
                    Recipient = subscriber,
                    Headers = AsListPost(p.Message.Headers, p.ListAddress),
                    EnvelopeSender = p.Envelope,
                    AuthenticatedAndAligned = authenticated,
                    EnvelopeAuthenticated = authenticated,
                    EnvelopeGenuine = true,
                    FromDomainEnforcesDmarc = Enforces(p.ListAddress),
                    Arrived = p.Message.Received,
                    Order = p.Message.Order,
                });
            }
            else
            {
                mail.Add(SpamAsDelivered(p, options, users, legitimateDomains, Enforces(p.From), ref spamFromLegitimateDomains));
            }

            // The same spam again, From and envelope sender set to a correspondent of the recipient.
            var targets = correspondentsOf[StableRandom.Pick(seed, "forge-user", key, users)];
            if (targets.Count == 0)
            {
                targets = everyCorrespondent;
            }

            if (targets.Count > 0)
            {
                var victim = StableRandom.Pick(seed, "forge-target", key, targets);
                mail.Add(new InboundMail
                {
                    Source = p.Message,
                    Category = MailCategory.ForgedSpam,
                    Recipient = correspondents[victim],
                    Headers = WithFrom(p.Message.Headers, victim),
                    EnvelopeSender = victim,
                    AuthenticatedAndAligned = false,
                    EnvelopeAuthenticated = false,
                    EnvelopeGenuine = false,
                    FromDomainEnforcesDmarc = Enforces(victim),
                    Arrived = p.Message.Received,
                    Order = corpus.Count + p.Message.Order,
                });
            }
        }

        mail.Sort((a, b) => a.Arrived != b.Arrived ? a.Arrived.CompareTo(b.Arrived) : a.Order.CompareTo(b.Order));
        return new Organisation
        {
            Users = users,
            Correspondents = correspondents,
            PersonalSenders = personal.Count,
            Subscriptions = subscriptions,
            LegitimateDomains = legitimateDomains,
            SpamFromLegitimateDomains = spamFromLegitimateDomains,
            Mail = mail,
            Start = mail.Count > 0 ? mail[0].Arrived.AddDays(-1) : DateTimeOffset.UnixEpoch,
        };
    }

    private static InboundMail Ham(ParsedMessage p, MailCategory category, string recipient, HeaderList headers, bool authenticated, bool enforces) => new()
    {
        Source = p.Message,
        Category = category,
        Recipient = recipient,
        Headers = headers,
        EnvelopeSender = p.Envelope,
        AuthenticatedAndAligned = authenticated,
        EnvelopeAuthenticated = authenticated,
        EnvelopeGenuine = true,
        FromDomainEnforcesDmarc = enforces,
        Arrived = p.Message.Received,
        Order = p.Message.Order,
    };

    /// <summary>
    /// Spammers own throwaway domains: they pass SPF/DKIM for their own envelope domain with some
    /// probability, and are aligned only when From is that same domain. They cannot authenticate
    /// for a domain legitimate senders use, except (freemail abuse) through a real account there.
    /// </summary>
    private static InboundMail SpamAsDelivered(
        ParsedMessage p, ScenarioOptions options, string[] users, IReadOnlySet<string> legitimateDomains, bool enforces, ref int fromLegitimateDomain)
    {
        var key = p.Message.ToString();
        var fromDomain = p.From is null ? null : MailAddresses.OrganisationalDomain(MailAddresses.Domain(p.From));
        var envelopeDomain = p.Envelope.Length == 0 ? null : MailAddresses.OrganisationalDomain(MailAddresses.Domain(p.Envelope));
        var envelope = p.Envelope;
        bool envelopeAuthenticated, aligned;
        var sharedDomain = fromDomain is not null && legitimateDomains.Contains(fromDomain);
        fromLegitimateDomain += sharedDomain ? 1 : 0;
        if (sharedDomain && StableRandom.Unit(options.Seed, "freemail", key) < options.FreemailAbuse)
        {
            envelope = p.From!;
            envelopeAuthenticated = aligned = true;
        }
        else
        {
            envelopeAuthenticated = envelopeDomain is not null && !legitimateDomains.Contains(envelopeDomain)
                && StableRandom.Unit(options.Seed, "spam-auth", key) < options.SpamAuthenticated;
            aligned = envelopeAuthenticated && fromDomain == envelopeDomain;
        }

        return new InboundMail
        {
            Source = p.Message,
            Category = MailCategory.Spam,
            Recipient = StableRandom.Pick(options.Seed, "spam-user", key, users),
            Headers = p.Message.Headers,
            EnvelopeSender = envelope,
            AuthenticatedAndAligned = aligned,
            EnvelopeAuthenticated = envelopeAuthenticated,
            EnvelopeGenuine = envelopeAuthenticated,
            FromDomainEnforcesDmarc = enforces,
            Arrived = p.Message.Received,
            Order = p.Message.Order,
        };
    }

    /// <summary>The header as a list that rewrites From sends it: From the list, Reply-To the author (unless the post had a Reply-To).</summary>
    private static HeaderList AsListPost(HeaderList headers, string listAddress)
    {
        var copy = WithFrom(headers, listAddress);
        if (!headers.Contains(HeaderId.ReplyTo) && headers[HeaderId.From] is { } author)
        {
            copy.Add(HeaderId.ReplyTo, author);
        }

        return copy;
    }

    /// <summary>A copy of the header with a single From: <paramref name="address"/>.</summary>
    private static HeaderList WithFrom(HeaderList headers, string address)
    {
        var copy = new HeaderList();
        foreach (var header in headers)
        {
            copy.Add(header.Clone());
        }

        copy.Replace(HeaderId.From, $"<{address}>");
        return copy;
    }
}
