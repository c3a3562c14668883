using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using Moat.Bench.Trust.Model;
using Moat.Bench.Trust.Stores;
using Moat.Storage.Trust;
using Moat.Trust;
using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Trust.Decisions;
using Moat.Trust.Familiarity;
using Moat.Trust.Learning;
using Moat.Trust.Lists;
using Moat.Trust.Messages;

namespace Moat.Bench.Trust.Simulation;

/// <summary>
/// Walks the organisation's inbound mail in arrival order through Moat's real trust code, the way
/// TrustFilter's content stage does for inbound mail: authentication (here: its modelled outcome)
/// → TrustEvaluator.Decide on the From identity → familiarity → unknown-sender policy (DMARC
/// enforcement, then a challenge when ChallengeEligibility allows one, else quarantine).
/// Challenges go through the real ChallengeService (per-day limit, signed reply addresses, hold,
/// release, trust on answer, expiry); legitimate senders answer some of them. The optional
/// sender-system checks (envelope domain accepts mail, HELO and reverse DNS, callout) need live
/// DNS and are left out, as TrustFilter leaves them out when they are not configured.
/// </summary>
internal sealed partial class TrustSimulation(ScenarioOptions options, Organisation organisation)
{
    private const string HostName = "mx." + Organisation.LocalDomain;
    private const int Examples = 40;

    private readonly SimulatedClock clock = new(organisation.Start);
    private readonly TrustOptions trust = new() { UnknownSenders = options.Policy, EnforceDmarc = true, LearnFromOutbound = true };
    private readonly HeldMailbox held = new();
    private readonly ChallengeOutbox outbox = new();
    private readonly PriorityQueue<PendingAnswer, DateTimeOffset> answers = new();
    private readonly Dictionary<string, int> challengesPerSender = new(StringComparer.Ordinal);
    private readonly Dictionary<MailCategory, int> challengesByCategory = [];
    private readonly Dictionary<MailCategory, int> listedButUnauthenticated = [];
    private readonly Dictionary<ConfirmationStatus, int> confirmations = [];
    private readonly HashSet<string> confirmedSenders = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonArray heldAfterConfirmingExamples = [];
    private readonly JsonArray failureExamples = [];
    private TrustListCache lists = null!;
    private FamiliarityTracker familiarity = null!;
    private ChallengeService challenges = null!;
    private ListContentCheck? listContent;
    private readonly List<InboundMail> heldListPosts = [];
    private DateTime lastExpiry;
    private int heldAfterConfirming;
    private int challengesToForged;
    private int challengeFailures;
    private int answersDrawn;

    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var store = new InMemoryTrustStore();
        lists = new TrustListCache(store, trust.ReloadCheckInterval, clock);
        familiarity = new FamiliarityTracker(new InMemoryFamiliarityStore(), trust.Familiarity, clock);
        var secret = SHA256.HashData(BitConverter.GetBytes(options.Seed));
        challenges = new ChallengeService(trust.Challenge, HostName, secret, new InMemoryChallengeStore(), outbox, held, lists, clock);
        lastExpiry = clock.Now.UtcDateTime.Date;
        if (options.ListContent)
        {
            // As TrustComponents builds it, with learning written at once instead of in batches.
            var tokens = new InMemoryTokenStore();
            listContent = new ListContentCheck(
                trust.ListContent, tokens, new TokenHasher(SHA256.HashData(BitConverter.GetBytes(options.Seed + 1))), new InMemoryFamiliarityStore(),
                (training, token) => tokens.LearnAsync([training], clock.GetUtcNow(), token), clock);
        }

        // Before the first message: the subscribers' own entries for their lists, and the users'
        // earlier mail to their correspondents, learned the way the gateway learns outbound mail.
        var manual = options.ListEntries
            ? organisation.Subscriptions.Select(s => new TrustEntry(s.Value, s.Key, TrustSource.Manual, clock.Now)).ToArray()
            : [];
        await lists.AddAsync(manual, cancellationToken);
        var learner = new OutboundLearner(lists, trust, clock);
        var learned = 0;
        foreach (var (correspondent, user) in organisation.Correspondents.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var outbound = Outbound(user, correspondent, clock.Now);
            var result = await learner.LearnAsync(user, [correspondent], MessageTraits.FromHeaders(outbound.Headers), cancellationToken);
            learned += result.Added;
        }

        foreach (var mail in organisation.Mail)
        {
            await AdvanceAsync(mail.Arrived, cancellationToken);
            await JudgeAsync(mail, cancellationToken);
        }

        // Past every answer still due (at most a day away) and long enough for unanswered held mail to expire.
        var end = organisation.Mail.Count > 0 ? organisation.Mail[^1].Arrived : clock.Now;
        await AdvanceAsync(end + trust.Challenge.HoldTime + TimeSpan.FromDays(1) + TimeSpan.FromHours(options.AnswerDelayHours), cancellationToken);
        var snapshot = await lists.GetAsync(cancellationToken);

        return new JsonObject
        {
            ["scenario"] = options.ToJson(),
            ["organisation"] = new JsonObject
            {
                ["users"] = organisation.Users.Count,
                ["personal_senders"] = organisation.PersonalSenders,
                ["correspondents"] = organisation.Correspondents.Count,
                ["strangers"] = organisation.PersonalSenders - organisation.Correspondents.Count,
                ["subscriptions"] = organisation.Subscriptions.Count,
                ["manual_entries"] = manual.Length,
                ["learned_entries"] = learned,
                ["entries_at_end"] = snapshot.Count,
                ["legitimate_domains"] = organisation.LegitimateDomains.Count,
                ["spam_from_legitimate_domains"] = organisation.SpamFromLegitimateDomains,
                ["first_message"] = organisation.Mail.Count > 0 ? organisation.Mail[0].Arrived.ToString("u") : null,
                ["last_message"] = organisation.Mail.Count > 0 ? organisation.Mail[^1].Arrived.ToString("u") : null,
            },
            ["categories"] = new JsonObject(Enum.GetValues<MailCategory>().Select(c =>
                KeyValuePair.Create(Name(c), (JsonNode?)Tally(c)))),
            ["challenges"] = new JsonObject
            {
                ["sent"] = outbox.Sent,
                ["held_already_challenged"] = organisation.Mail.Count(m => m.Fate == Fate.HeldAlreadyChallenged),
                ["to_legitimate"] = Count(challengesByCategory, MailCategory.Correspondent) + Count(challengesByCategory, MailCategory.Subscription) + Count(challengesByCategory, MailCategory.Stranger),
                ["to_spammers_own_domains"] = Count(challengesByCategory, MailCategory.Spam) + Count(challengesByCategory, MailCategory.ListSpam),
                ["to_forged_senders"] = challengesToForged,
                ["failures"] = challengeFailures,
                ["failures_legitimate"] = organisation.Mail.Count(m => m.IsLegitimate && m.Reason?.Contains("challenge failed", StringComparison.Ordinal) == true),
                ["failure_examples"] = failureExamples,
                ["held_after_sender_confirmed"] = heldAfterConfirming,
                ["held_after_sender_confirmed_examples"] = heldAfterConfirmingExamples,
                ["answers_drawn"] = answersDrawn,
                ["answers_confirmed"] = Count(confirmations, ConfirmationStatus.Confirmed),
                ["answers_invalid"] = Count(confirmations, ConfirmationStatus.Invalid),
                ["answers_already_confirmed"] = Count(confirmations, ConfirmationStatus.AlreadyConfirmed),
            },
            ["misclassified_known"] = new JsonArray(organisation.Mail
                .Where(m => m.Category is MailCategory.Correspondent or MailCategory.Subscription && !m.DeliveredAtOnce)
                .Take(Examples).Select(Describe).ToArray()),
            ["unknown_not_delivered"] = new JsonArray(organisation.Mail
                .Where(m => m.Category == MailCategory.Stranger && !m.ReachedInbox)
                .Take(Examples).Select(Describe).ToArray()),
            ["spam_in_inbox"] = new JsonArray(organisation.Mail
                .Where(m => m.Category is MailCategory.Spam or MailCategory.ListSpam or MailCategory.ForgedSpam && m.ReachedInbox)
                .Take(Examples).Select(Describe).ToArray()),
            ["elapsed_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds),
        };
    }

    /// <summary>Moves the simulated clock to <paramref name="time"/>, answering due challenges and expiring held mail on the way.</summary>
    private async ValueTask AdvanceAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        while (answers.TryPeek(out var answer, out var due) && due <= time)
        {
            answers.Dequeue();
            await SetClockAsync(due, cancellationToken);
            var result = await challenges.ConfirmAddressAsync(answer.ReplyAddress, cancellationToken);
            confirmations[result.Status] = Count(confirmations, result.Status) + 1;
            if (result.Sender is not null)
            {
                confirmedSenders.Add(result.Sender);
            }
        }

        await SetClockAsync(time, cancellationToken);
    }

    /// <summary>The gateway expires held mail periodically; here once per simulated day.</summary>
    private async ValueTask SetClockAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        if (time > clock.Now)
        {
            clock.Now = time;
        }

        if (clock.Now.UtcDateTime.Date > lastExpiry)
        {
            lastExpiry = clock.Now.UtcDateTime.Date;
            await challenges.ExpireAsync(cancellationToken);
            await ReviewHeldListPostsAsync(cancellationToken);
        }
    }

    /// <summary>
    /// With the daily digest the recipients release the good posts the list content check held and
    /// delete the spam, which the gateway learns from (as the quarantine page and release links do).
    /// </summary>
    private async ValueTask ReviewHeldListPostsAsync(CancellationToken cancellationToken)
    {
        foreach (var post in heldListPosts)
        {
            await listContent!.LearnAsync(Content(post), isSpam: !post.IsLegitimate, cancellationToken);
        }

        heldListPosts.Clear();
    }

    private async ValueTask JudgeAsync(InboundMail mail, CancellationToken cancellationToken)
    {
        // As TrustFilter.JudgeInboundAsync, with the authentication result modelled.
        var traits = MessageTraits.FromHeaders(mail.Headers);
        var sender = mail.EnvelopeSender;
        var identity = traits.FromAddress ?? sender;
        var aligned = mail.AuthenticatedAndAligned;
        string[] recipients = [mail.Recipient];
        var now = clock.GetUtcNow();
        var client = ClientAddress(identity.Length > 0 ? identity : sender);
        var snapshot = await lists.GetAsync(cancellationToken);
        var decision = TrustEvaluator.Decide(snapshot, identity, aligned, sender, mail.EnvelopeAuthenticated, recipients, now, traits.ListAddress);
        if (decision.ListedButUnauthenticated)
        {
            listedButUnauthenticated[mail.Category] = Count(listedButUnauthenticated, mail.Category) + 1;
        }

        if (decision.Level == TrustLevel.Unknown && aligned
            && await familiarity.FindReasonAsync(identity, client, cancellationToken) is { } familiarReason)
        {
            decision = new TrustDecision(TrustLevel.Familiar, null, familiarReason);
        }

        // As TrustFilter: a trusted list's post is scored; other trusted mail is learned as ham.
        if (decision.Level == TrustLevel.Trusted && traits.IsListTraffic && listContent is not null)
        {
            var listAddress = traits.ListAddress ?? decision.Match!.Entry.Pattern;
            var author = identity.Equals(listAddress, StringComparison.OrdinalIgnoreCase) ? traits.ReplyToAddress : identity;
            var judgement = await listContent.JudgeAsync(Content(mail), listAddress, author, cancellationToken);
            if (judgement.Hold)
            {
                Settle(mail, Fate.Quarantined, decision, judgement.ToString());
                heldListPosts.Add(mail);
                return;
            }
        }
        else if (decision.Level != TrustLevel.Unknown && listContent is not null)
        {
            await listContent.LearnAsync(Content(mail), isSpam: false, cancellationToken);
        }

        if (decision.Level != TrustLevel.Unknown)
        {
            mail.Fate = decision.Level == TrustLevel.Trusted ? Fate.Trusted : Fate.Familiar;
            await familiarity.RecordGoodMailAsync(identity, client, cancellationToken);
            return;
        }

        // As TrustFilter.HandleUnknownAsync.
        if (trust.EnforceDmarc && mail.FromDomainEnforcesDmarc && !aligned)
        {
            Settle(mail, Fate.Rejected, decision, "DMARC fail with p=reject or p=quarantine: rejected");
            await LearnSpamAsync(mail, cancellationToken);
            return;
        }

        var policy = UnknownSenderPolicyResolver.Resolve(trust, recipients);
        if (policy == UnknownSenderPolicy.Accept)
        {
            mail.Fate = Fate.Accepted;
            if (aligned)
            {
                await familiarity.RecordGoodMailAsync(identity, client, cancellationToken);
            }

            return;
        }

        if (policy == UnknownSenderPolicy.Challenge)
        {
            var envelopeDomain = sender.Contains('@') ? sender[(sender.LastIndexOf('@') + 1)..] : string.Empty;
            var whyNot = ChallengeEligibility.WhyNot(sender, traits, envelopeDomain.Length > 0 && mail.EnvelopeAuthenticated);
            if (whyNot is null)
            {
                var request = new ChallengeRequest(sender, recipients[0], traits.Subject, traits.MessageId);
                ChallengeOutcome outcome;
                string? failure = null;
                try
                {
                    outcome = await challenges.ChallengeAsync(request, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // TrustFilter lets this escape: the pipeline answers 451 4.3.0 and the sending
                    // server tries again a few minutes later, which is this second call.
                    failure = $"{exception.GetType().Name}: {exception.Message}";
                    RecordFailure(mail, failure);
                    try
                    {
                        outcome = await challenges.ChallengeAsync(request, cancellationToken);
                    }
                    catch (Exception again) when (again is not OperationCanceledException)
                    {
                        Settle(mail, Fate.TemporaryFailure, decision, $"challenge failed ({failure}) on every attempt: 451, left with the sending server");
                        return;
                    }
                }

                held.Hold(mail, ChallengeService.HoldReason);
                if (outcome == ChallengeOutcome.Sent)
                {
                    Settle(mail, Fate.Challenged, decision, "held and challenged" + (failure is null ? string.Empty : " on the sender's retry"));
                    OnChallengeSent(mail, sender);
                }
                else
                {
                    Settle(mail, Fate.HeldAlreadyChallenged, decision, failure is null
                        ? "held; already challenged today"
                        : "challenge failed (exception in ChallengeService.ChallengeAsync: 451); on the sender's retry held as already challenged, so no challenge went out");
                }

                if (confirmedSenders.Contains(sender))
                {
                    // The answer trusted the envelope sender, but the lookup is by From.
                    heldAfterConfirming++;
                    if (heldAfterConfirmingExamples.Count < Examples)
                    {
                        heldAfterConfirmingExamples.Add(Describe(mail));
                    }
                }

                return;
            }

            Settle(mail, Fate.Quarantined, decision, $"not challenged ({whyNot}): quarantined");
            if (decision.ListedButUnauthenticated)
            {
                await LearnSpamAsync(mail, cancellationToken);
            }

            return;
        }

        Settle(mail, Fate.Quarantined, decision, "policy quarantine");
        if (decision.ListedButUnauthenticated)
        {
            await LearnSpamAsync(mail, cancellationToken);
        }
    }

    /// <summary>As TrustFilter: mail refused, or quarantined for forging a trusted address, is learned as spam.</summary>
    private async ValueTask LearnSpamAsync(InboundMail mail, CancellationToken cancellationToken)
    {
        if (listContent is not null)
        {
            await listContent.LearnAsync(Content(mail), isSpam: true, cancellationToken);
        }
    }

    /// <summary>The message as it reaches Moat: the header as modelled, then the corpus body.</summary>
    private static MemoryStream Content(InboundMail mail)
    {
        var stream = new MemoryStream();
        mail.Headers.WriteTo(stream);
        stream.Write("\n"u8);
        stream.Write(mail.Source.Body.Span);
        stream.Position = 0;
        return stream;
    }

    private void OnChallengeSent(InboundMail mail, string sender)
    {
        challengesByCategory[mail.Category] = Count(challengesByCategory, mail.Category) + 1;
        if (!mail.EnvelopeGenuine)
        {
            challengesToForged++;
        }

        var key = sender.ToLowerInvariant();
        var n = challengesPerSender[key] = challengesPerSender.GetValueOrDefault(key) + 1;

        // Only a real sender at a genuine envelope address can answer; spammers never do, and the
        // person whose address was forged ignores a challenge for mail they did not send.
        if (!mail.IsLegitimate || !mail.EnvelopeGenuine || outbox.Last is not { } challenge)
        {
            return;
        }

        var draw = $"{key}#{n}";
        if (StableRandom.Unit(options.Seed, "answer", draw) >= options.Answer)
        {
            return;
        }

        answersDrawn++;
        var delay = TimeSpan.FromMinutes(1 + (StableRandom.Unit(options.Seed, "answer-delay", draw) * ((options.AnswerDelayHours * 60) - 1)));
        answers.Enqueue(new PendingAnswer(challenge.ReplyAddress, key, clock.Now + delay), clock.Now + delay);
    }

    private void RecordFailure(InboundMail mail, string failure)
    {
        challengeFailures++;
        if (failureExamples.Count < Examples)
        {
            failureExamples.Add(new JsonObject
            {
                ["message"] = mail.Source.ToString(),
                ["category"] = Name(mail.Category),
                ["message_id"] = mail.Headers[HeaderId.MessageId],
                ["failure"] = failure,
            });
        }
    }

    private static void Settle(InboundMail mail, Fate fate, TrustDecision decision, string action)
    {
        mail.Fate = fate;
        mail.Reason = $"{decision.Evidence}; {action}";
    }

    private JsonObject Tally(MailCategory category)
    {
        var mail = organisation.Mail.Where(m => m.Category == category).ToList();
        var notAtOnce = mail.Where(m => !m.DeliveredAtOnce).ToList();
        return new JsonObject
        {
            ["messages"] = mail.Count,
            ["trusted"] = mail.Count(m => m.Fate == Fate.Trusted),
            ["familiar"] = mail.Count(m => m.Fate == Fate.Familiar),
            ["accepted"] = mail.Count(m => m.Fate == Fate.Accepted),
            ["held"] = mail.Count(m => m.Fate is Fate.Challenged or Fate.HeldAlreadyChallenged),
            ["released"] = mail.Count(m => m.Held == HeldState.Released),
            ["expired"] = mail.Count(m => m.Held == HeldState.Expired),
            ["quarantined"] = mail.Count(m => m.Fate == Fate.Quarantined),
            ["rejected"] = mail.Count(m => m.Fate == Fate.Rejected),
            ["temporary_failure"] = mail.Count(m => m.Fate == Fate.TemporaryFailure),
            ["inbox"] = mail.Count(m => m.ReachedInbox),
            ["authenticated_and_aligned"] = mail.Count(m => m.AuthenticatedAndAligned),
            ["listed_but_unauthenticated"] = Count(listedButUnauthenticated, category),
            ["familiar_by_domain"] = new JsonObject(mail
                .Where(m => m.Fate == Fate.Familiar)
                .GroupBy(m => MailAddresses.Domain(MessageTraits.FromHeaders(m.Headers).FromAddress ?? m.EnvelopeSender))
                .OrderByDescending(g => g.Count()).Take(5)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
            ["reasons"] = new JsonObject(notAtOnce
                .GroupBy(m => QuotedPart().Replace(ShortReason(m), "'…'"))
                .OrderByDescending(g => g.Count())
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
        };
    }

    /// <summary>The part of the evidence that explains the fate, without the per-sender address.</summary>
    private static string ShortReason(InboundMail mail)
    {
        var reason = mail.Reason ?? mail.Fate.ToString();
        var (listed, action) = reason.LastIndexOf("; ", StringComparison.Ordinal) is var cut and >= 0
            ? (reason[..cut], reason[(cut + 2)..])
            : (string.Empty, reason);
        var lookup = listed.Contains("is on no allow-list", StringComparison.Ordinal) ? "not listed"
            : listed.Contains("not authenticated", StringComparison.Ordinal) ? "listed, not authenticated"
            : listed;
        var held = mail.Held is HeldState.Released or HeldState.Expired ? $" → {mail.Held.ToString().ToLowerInvariant()}" : string.Empty;
        return $"{lookup}; {action}{held}";
    }

    private static JsonObject Describe(InboundMail mail) => new()
    {
        ["message"] = mail.Source.ToString(),
        ["category"] = Name(mail.Category),
        ["recipient"] = mail.Recipient,
        ["from"] = MessageTraits.FromHeaders(mail.Headers).FromAddress,
        ["envelope"] = mail.EnvelopeSender,
        ["aligned"] = mail.AuthenticatedAndAligned,
        ["fate"] = mail.Fate.ToString(),
        ["held"] = mail.Held == HeldState.NotHeld ? null : mail.Held.ToString(),
        ["reason"] = mail.Reason,
    };

    private static string Name(MailCategory category) => category switch
    {
        MailCategory.Correspondent => "correspondent",
        MailCategory.Subscription => "subscription",
        MailCategory.Stranger => "stranger",
        MailCategory.Spam => "spam",
        MailCategory.ListSpam => "list_spam",
        _ => "forged",
    };

    private static int Count<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull => counts.GetValueOrDefault(key);

    /// <summary>A user's earlier message to a correspondent, as it would pass the gateway outbound.</summary>
    private static MimeMessage Outbound(string user, string correspondent, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(user));
        message.To.Add(MailboxAddress.Parse(correspondent));
        message.Subject = "Re: our conversation";
        message.Date = date;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(Organisation.LocalDomain);
        message.Body = new TextPart("plain") { Text = "Thanks, talk soon." };
        return message;
    }

    /// <summary>
    /// The client address is not in the model; one address per sending organisational domain
    /// (198.18.0.0/15, the benchmarking range) keeps the client counter meaningful if it is turned on
    /// (its default threshold is 0, off).
    /// </summary>
    private IPAddress ClientAddress(string address)
    {
        var domain = address.Contains('@') ? MailAddresses.OrganisationalDomain(MailAddresses.Domain(address)) : address;
        var n = (uint)(StableRandom.Unit(options.Seed, "client", domain) * (1 << 17));
        return new IPAddress([198, (byte)(18 + (n >> 16)), (byte)(n >> 8), (byte)n]);
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedPart();
}
