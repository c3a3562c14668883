using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Pipeline;
using Moat.Smtp.Protocol;
using Moat.Trust.Authentication;
using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Trust.Decisions;
using Moat.Trust.Familiarity;
using Moat.Trust.Learning;
using Moat.Trust.Lists;
using Moat.Trust.Messages;
using Moat.Trust.Sources;

namespace Moat.Trust.Filter;

/// <summary>
/// The pipeline's <c>trust</c> filter. At RCPT it recognises replies to challenges. After DATA it
/// learns from outbound mail, and for inbound mail authenticates the sender (SPF, DKIM, DMARC,
/// stamped as Authentication-Results), looks the sender up in the allow-lists and familiarity
/// counters, and applies the unknown-sender policy: accept with a header, quarantine, or hold and
/// challenge. Every step leaves its evidence on the transaction.
/// </summary>
public sealed partial class TrustFilter : IFilter
{
    public const string FilterName = "trust";
    public const string TrustHeader = "X-Sender-Trust";

    /// <summary>The hold reason of unknown senders' mail kept for the recipients' digest.</summary>
    public const string QuarantineReason = "unknown sender";

    private static readonly SmtpReply SeparateTransaction =
        new(452, "4.5.3", "Send replies to confirmation requests in a transaction of their own");

    private static readonly SmtpReply UnknownChallenge = new(550, "5.1.1", "No such confirmation request, or it has expired");

    private readonly TrustOptions options;
    private readonly TrustListCache lists;
    private readonly SenderAuthenticator authenticator;
    private readonly FamiliarityTracker familiarity;
    private readonly OutboundLearner learner;
    private readonly ChallengeService challenges;
    private readonly SenderSystemCheck? senderChecks;
    private readonly SenderCallout? callout;
    private readonly ListContentCheck? listContent;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    public TrustFilter(
        TrustOptions options,
        TrustListCache lists,
        SenderAuthenticator authenticator,
        FamiliarityTracker familiarity,
        OutboundLearner learner,
        ChallengeService challenges,
        SenderSystemCheck? senderChecks = null,
        SenderCallout? callout = null,
        ListContentCheck? listContent = null,
        TimeProvider? clock = null,
        ILogger<TrustFilter>? logger = null)
    {
        this.senderChecks = senderChecks;
        this.callout = callout;
        this.listContent = listContent is { Enabled: true } ? listContent : null;
        this.options = options;
        this.lists = lists;
        this.authenticator = authenticator;
        this.familiarity = familiarity;
        this.learner = learner;
        this.challenges = challenges;
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<TrustFilter>.Instance;
    }

    public string Name => FilterName;

    public string Description => "allow-lists, learning from outbound mail, SPF/DKIM/DMARC, familiarity, unknown-sender policy and challenges";

    public IReadOnlyCollection<PipelineStage> Stages { get; } = [PipelineStage.Rcpt, PipelineStage.Content];

    public async ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return stage switch
        {
            PipelineStage.Rcpt => CheckRecipient(context),
            PipelineStage.Content when context.Direction == MailDirection.Outbound => await LearnAsync(context, cancellationToken).ConfigureAwait(false),
            PipelineStage.Content => await JudgeInboundAsync(context, cancellationToken).ConfigureAwait(false),
            _ => Verdict.Continue,
        };
    }

    /// <summary>A challenge reply is consumed by Moat, so it must not share a transaction with mail to be delivered.</summary>
    private Verdict CheckRecipient(TransactionContext context)
    {
        var recipient = context.CurrentRecipient?.Path.Address;
        if (recipient is null || context.Direction == MailDirection.Outbound)
        {
            return Verdict.Continue;
        }

        var isChallenge = challenges.IsChallengeAddress(recipient);
        if (context.Recipients.Any(r => challenges.IsChallengeAddress(r.Path.Address) != isChallenge))
        {
            context.AddEvidence(Name, PipelineStage.Rcpt, $"{recipient}: challenge replies and other mail in one transaction; asked for a separate one");
            return Verdict.TempFail(SeparateTransaction);
        }

        if (isChallenge && !challenges.IsValidChallengeAddress(recipient, clock.GetUtcNow()))
        {
            context.AddEvidence(Name, PipelineStage.Rcpt, $"{recipient}: forged or expired challenge address");
            return Verdict.Reject(UnknownChallenge);
        }

        return Verdict.Continue;
    }

    private async ValueTask<Verdict> LearnAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (!options.LearnFromOutbound || context.OpenContent is null)
        {
            return Verdict.Continue;
        }

        var traits = await ReadTraitsAsync(context, cancellationToken).ConfigureAwait(false);
        // A null sender is a bounce whatever the login; otherwise the lists are the logged-in user's.
        var sender = context.MailFrom?.Path.Address ?? string.Empty;
        var result = await learner.LearnAsync(
            sender.Length == 0 ? sender : context.AuthenticatedUser?.ToLowerInvariant() ?? sender,
            context.Recipients.Select(r => r.Path.Address).ToArray(),
            traits,
            cancellationToken).ConfigureAwait(false);
        context.AddEvidence(Name, PipelineStage.Content, result.ToString());
        return Verdict.Continue;
    }

    private async ValueTask<Verdict> JudgeInboundAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var openContent = context.OpenContent ?? throw new InvalidOperationException("The content stage needs the message.");
        var recipients = context.Recipients.Select(r => r.Path.Address).ToArray();
        if (recipients.Length > 0 && recipients.All(challenges.IsChallengeAddress))
        {
            return await AnswerChallengesAsync(context, recipients, cancellationToken).ConfigureAwait(false);
        }

        var sender = context.MailFrom?.Path.Address ?? string.Empty;
        var authentication = await authenticator.AuthenticateAsync(context.ClientAddress, context.HeloName, sender, openContent, cancellationToken).ConfigureAwait(false);
        context.AddHeader("Authentication-Results", AuthenticationResultsHeader.Format(options.AuthServId ?? "localhost", authentication));
        context.AddEvidence(Name, PipelineStage.Content, Describe(authentication));

        SenderSystemReport? system = null;
        if (senderChecks is not null)
        {
            system = await senderChecks.CheckAsync(context.ClientAddress, context.HeloName, sender, cancellationToken).ConfigureAwait(false);
            context.AddEvidence(Name, PipelineStage.Content, "sender system: " + string.Join("; ", system.Evidence));
        }

        var traits = await ReadTraitsAsync(context, cancellationToken).ConfigureAwait(false);
        var identity = authentication.FromAddress ?? traits.FromAddress ?? sender;
        var aligned = authentication.IsAuthenticatedAndAligned;
        var now = clock.GetUtcNow();
        var snapshot = await lists.GetAsync(cancellationToken).ConfigureAwait(false);
        var envelopeDomain = sender.Contains('@') ? sender[(sender.LastIndexOf('@') + 1)..] : string.Empty;
        var envelopeAuthenticated = envelopeDomain.Length > 0 && authentication.IsEnvelopeDomainAuthenticated(envelopeDomain);
        var decision = TrustEvaluator.Decide(snapshot, identity, aligned, sender, envelopeAuthenticated, recipients, now, traits.ListAddress);
        context.AddEvidence(Name, PipelineStage.Content, decision.Evidence);
        if (decision.ListedButUnauthenticated)
        {
            LogPossibleForgery(logger, identity, context.ClientAddress.ToString());
        }

        if (decision.Level == TrustLevel.Unknown && aligned
            && await familiarity.FindReasonAsync(identity, context.ClientAddress, cancellationToken).ConfigureAwait(false) is { } familiarReason)
        {
            decision = new TrustDecision(TrustLevel.Familiar, null, familiarReason);
            context.AddEvidence(Name, PipelineStage.Content, "familiar: " + familiarReason);
        }

        if (decision.Level == TrustLevel.Trusted && traits.IsListTraffic && listContent is not null)
        {
            var listAddress = traits.ListAddress ?? decision.Match!.Entry.Pattern;
            var author = identity.Equals(listAddress, StringComparison.OrdinalIgnoreCase) ? traits.ReplyToAddress : identity;
            ListPostJudgement judgement;
            await using (var content = await openContent(cancellationToken).ConfigureAwait(false))
            {
                judgement = await listContent.JudgeAsync(content, listAddress, author, cancellationToken).ConfigureAwait(false);
            }

            context.AddEvidence(Name, PipelineStage.Content, judgement.ToString());
            if (judgement.Hold)
            {
                Decided(context, sender, identity, "quarantined", judgement.ToString());
                return Verdict.Quarantine(ListContentCheck.HoldReason);
            }
        }
        else if (decision.Level != TrustLevel.Unknown && listContent is not null)
        {
            await LearnContentAsync(context, isSpam: false, cancellationToken).ConfigureAwait(false);
        }

        if (decision.Level != TrustLevel.Unknown)
        {
            context.AddHeader(TrustHeader, decision.Level == TrustLevel.Trusted ? $"trusted; source={decision.Match!.Entry.Source.ToString().ToLowerInvariant()}" : "familiar");
            await familiarity.RecordGoodMailAsync(identity, context.ClientAddress, cancellationToken).ConfigureAwait(false);
            Decided(context, sender, identity, decision.Level.ToString().ToLowerInvariant(), decision.Evidence);
            return Verdict.Continue;
        }

        var verdict = await HandleUnknownAsync(context, authentication, system, traits, identity, recipients, cancellationToken).ConfigureAwait(false);
        if (listContent is not null
            && (verdict.Kind == VerdictKind.Reject || (verdict.Kind == VerdictKind.Quarantine && decision.ListedButUnauthenticated)))
        {
            // Refused, or forging a trusted address: what spam looks like to this organisation.
            await LearnContentAsync(context, isSpam: true, cancellationToken).ConfigureAwait(false);
        }

        return verdict;
    }

    private async ValueTask LearnContentAsync(TransactionContext context, bool isSpam, CancellationToken cancellationToken)
    {
        await using var content = await context.OpenContent!(cancellationToken).ConfigureAwait(false);
        await listContent!.LearnAsync(content, isSpam, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Verdict> HandleUnknownAsync(
        TransactionContext context,
        SenderAuthentication authentication,
        SenderSystemReport? system,
        MessageTraits traits,
        string identity,
        string[] recipients,
        CancellationToken cancellationToken)
    {
        var sender = context.MailFrom?.Path.Address ?? string.Empty;
        if (system is { EnvelopeDomainAcceptsMail: SenderCheckResult.Fail, EnvelopeDomain: { } domain })
        {
            context.AddEvidence(Name, PipelineStage.Content, $"unknown sender whose domain {domain} accepts no mail: rejected");
            Decided(context, sender, identity, "rejected", $"envelope domain {domain} accepts no mail");
            return Verdict.Reject(550, "5.1.8", $"Sender address rejected: {domain} does not accept mail");
        }

        if (callout is not null && sender.Length > 0)
        {
            var probe = await callout.ProbeAsync(sender, cancellationToken).ConfigureAwait(false);
            context.AddEvidence(Name, PipelineStage.Content, $"callout {probe.Outcome.ToString().ToLowerInvariant()}: {probe.Detail}");
            if (probe.Outcome == CalloutOutcome.Rejected)
            {
                Decided(context, sender, identity, "rejected", "callout: " + probe.Detail);
                return Verdict.Reject(550, "5.1.8", "Sender address rejected: its own mail server does not accept mail for it");
            }
        }

        if (options.EnforceDmarc && authentication.Dmarc is { Result: DmarcResult.Fail, Policy: DmarcPolicy.Reject or DmarcPolicy.Quarantine } dmarc)
        {
            context.AddEvidence(Name, PipelineStage.Content, $"unknown sender failing DMARC of {dmarc.FromDomain} (p={dmarc.Policy.ToString().ToLowerInvariant()}): rejected");
            Decided(context, sender, identity, "rejected", "DMARC fail with policy " + dmarc.Policy);
            return Verdict.Reject(550, "5.7.1", $"Message refused: {dmarc.FromDomain} asks receivers to refuse mail that fails its DMARC policy");
        }

        var policy = UnknownSenderPolicyResolver.Resolve(options, recipients);
        if (policy == UnknownSenderPolicy.Accept)
        {
            context.AddHeader(TrustHeader, "unknown");
            if (authentication.IsAuthenticatedAndAligned)
            {
                await familiarity.RecordGoodMailAsync(identity, context.ClientAddress, cancellationToken).ConfigureAwait(false);
            }

            Decided(context, sender, identity, "unknown-accepted", "policy accept");
            return Verdict.Continue;
        }

        if (policy == UnknownSenderPolicy.Challenge)
        {
            var envelopeDomain = sender.Contains('@') ? sender[(sender.LastIndexOf('@') + 1)..] : string.Empty;
            var whyNot = ChallengeEligibility.WhyNot(sender, traits, envelopeDomain.Length > 0 && authentication.IsEnvelopeDomainAuthenticated(envelopeDomain));
            if (whyNot is null && system is { LooksLikeMailServer: false, HasTemporaryError: false })
            {
                // A challenge goes to whoever runs the sending host; a host that does not look like a
                // mail server (no confirmed reverse name, odd HELO) is more likely a hijacked machine.
                whyNot = "the sending host does not look like a mail server";
            }

            if (whyNot is null)
            {
                var outcome = await challenges.ChallengeAsync(new ChallengeRequest(sender, recipients[0], traits.Subject, traits.MessageId), cancellationToken).ConfigureAwait(false);
                context.AddEvidence(Name, PipelineStage.Content, outcome == ChallengeOutcome.Sent
                    ? $"unknown sender: held and challenged {sender}"
                    : $"unknown sender: held; {sender} was already challenged today");
                Decided(context, sender, identity, "challenged", outcome.ToString());
                return Verdict.Hold(ChallengeService.HoldReason);
            }

            context.AddEvidence(Name, PipelineStage.Content, $"unknown sender not challenged ({whyNot}): quarantined");
            Decided(context, sender, identity, "quarantined", "not challenged: " + whyNot);
            return Verdict.Quarantine(QuarantineReason);
        }

        context.AddEvidence(Name, PipelineStage.Content, "unknown sender: quarantined");
        Decided(context, sender, identity, "quarantined", "policy quarantine");
        return Verdict.Quarantine(QuarantineReason);
    }

    private async ValueTask<Verdict> AnswerChallengesAsync(TransactionContext context, string[] recipients, CancellationToken cancellationToken)
    {
        foreach (var recipient in recipients)
        {
            var result = await challenges.ConfirmAddressAsync(recipient, cancellationToken).ConfigureAwait(false);
            context.AddEvidence(Name, PipelineStage.Content, $"reply to challenge {recipient}: {result.Status.ToString().ToLowerInvariant()}, {result.Released} message(s) released");
        }

        return Verdict.Discard("reply to a challenge");
    }

    /// <summary>One log line per decision, with the evidence gathered for it.</summary>
    private void Decided(TransactionContext context, string sender, string identity, string decision, string reason)
    {
        var evidence = string.Join(" | ", context.Evidence.Where(e => e.Filter == Name && e.Stage == PipelineStage.Content).Select(e => e.Text));
        LogDecision(logger, sender, identity, decision, reason, evidence);
    }

    private static async ValueTask<MessageTraits> ReadTraitsAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        await using var content = await context.OpenContent!(cancellationToken).ConfigureAwait(false);
        return await MessageTraits.ReadAsync(content, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(SenderAuthentication result) =>
        $"spf={result.Spf.Result.ToString().ToLowerInvariant()} ({result.Spf.Domain})"
        + string.Concat(result.Dkim.Select(d => $" dkim={d.Result.ToString().ToLowerInvariant()} ({d.Domain})"))
        + (result.Dmarc is { } dmarc ? $" dmarc={dmarc.Result.ToString().ToLowerInvariant()} ({dmarc.FromDomain}, p={dmarc.Policy.ToString().ToLowerInvariant()})" : " dmarc=none")
        + (result.IsAuthenticatedAndAligned ? "; authenticated and aligned" : "; not aligned");

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "possible forgery: {Identity} is on an allow-list but the message is not authenticated (client {Client}); treated as unknown")]
    private static partial void LogPossibleForgery(ILogger logger, string identity, string client);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "trust from={Sender} identity={Identity} decision={Decision} reason=\"{Reason}\" evidence=\"{Evidence}\"")]
    private static partial void LogDecision(ILogger logger, string sender, string identity, string decision, string reason, string evidence);
}
