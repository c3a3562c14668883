using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Filters.Relay;

/// <summary>
/// Decides, per recipient, whether we may take the mail, and sets the transaction's direction.
/// A trusted client may relay anywhere (outbound). Anyone else may only reach our accepted
/// domains over an inbound listener, and every path that could make a downstream server
/// forward the mail elsewhere (percent hack, bang path, quoted '@', source route, address
/// literal) is refused, because we cannot know how the internal server would read it.
/// </summary>
public sealed class RelayControlFilter : IFilter
{
    public const string FilterName = "relay";

    public static SmtpReply RelayDeniedReply { get; } = new(554, "5.7.1", "Relay access denied");

    public static SmtpReply MissingDomainReply { get; } = new(553, "5.1.3", "Recipient address must include a domain");

    private static readonly PipelineStage[] StagesUsed = [PipelineStage.Rcpt];

    private readonly RelayPolicy policy;

    public RelayControlFilter(RelayPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        this.policy = policy;
    }

    public RelayControlFilter(RelayControlOptions options)
        : this(new RelayPolicy(options))
    {
    }

    public string Name => FilterName;

    public string Description => "Accepts recipients in our domains from anyone and any recipient from trusted clients; sets the direction.";

    public IReadOnlyCollection<PipelineStage> Stages => StagesUsed;

    public ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (stage != PipelineStage.Rcpt)
        {
            return ValueTask.FromResult(Verdict.Continue);
        }

        // Passing a recipient we were not shown would make a host bug an open relay; throwing
        // makes it a 451 from the runner instead.
        var recipient = context.CurrentRecipient
            ?? throw new InvalidOperationException("The Rcpt stage ran without a current recipient.");
        return ValueTask.FromResult(Evaluate(context, recipient.Path));
    }

    private Verdict Evaluate(TransactionContext context, SmtpPath recipient)
    {
        if (policy.IsTrusted(context))
        {
            SetDirection(context, MailDirection.Outbound, "trusted client: outbound");
            return JudgeTrusted(context, recipient);
        }

        if (context.ListenerRole == ListenerRole.Submission)
        {
            return Deny(context, recipient, "untrusted client on a submission listener");
        }

        SetDirection(context, MailDirection.Inbound, "untrusted client on an inbound listener: inbound");
        return JudgeUntrustedInbound(context, recipient);
    }

    private Verdict JudgeTrusted(TransactionContext context, SmtpPath recipient)
    {
        // RFC 5321 §3.6.1: a server SHOULD ignore a source route and deliver to the mailbox.
        if (recipient.SourceRoute is not null)
        {
            AddEvidence(context, $"source route ignored for {recipient}");
        }

        if (recipient.Domain is null && !IsPostmaster(recipient))
        {
            AddEvidence(context, $"recipient without a domain: {recipient}");
            return Verdict.Reject(MissingDomainReply);
        }

        return Verdict.Continue;
    }

    private Verdict JudgeUntrustedInbound(TransactionContext context, SmtpPath recipient)
    {
        if (recipient.SourceRoute is not null)
        {
            return Deny(context, recipient, "source route");
        }

        if (recipient.Domain is null)
        {
            // RFC 5321 §4.5.1: <postmaster> without a domain must be accepted.
            if (IsPostmaster(recipient))
            {
                return Verdict.Continue;
            }

            AddEvidence(context, $"recipient without a domain: {recipient}");
            return Verdict.Reject(MissingDomainReply);
        }

        if (recipient.IsAddressLiteral)
        {
            return Deny(context, recipient, "address literal domain");
        }

        if (recipient.LocalPart.Contains('%'))
        {
            return Deny(context, recipient, "percent hack in local part");
        }

        if (recipient.LocalPart.Contains('!'))
        {
            return Deny(context, recipient, "bang path in local part");
        }

        if (recipient.LocalPart.Contains('@'))
        {
            return Deny(context, recipient, "'@' in quoted local part");
        }

        if (!policy.IsAcceptedDomain(recipient.Domain))
        {
            return Deny(context, recipient, "domain is not an accepted domain");
        }

        return Verdict.Continue;
    }

    private static bool IsPostmaster(SmtpPath path) =>
        path.Domain is null && string.Equals(path.LocalPart, "postmaster", StringComparison.OrdinalIgnoreCase);

    private static Verdict Deny(TransactionContext context, SmtpPath recipient, string trick)
    {
        AddEvidence(context, $"relay denied ({trick}) for {recipient} from {context.ClientAddress}");
        return Verdict.Reject(RelayDeniedReply);
    }

    private static void SetDirection(TransactionContext context, MailDirection direction, string reason)
    {
        if (context.Direction != direction)
        {
            context.Direction = direction;
            AddEvidence(context, $"{reason} ({context.ClientAddress} on {context.ListenerName})");
        }
    }

    private static void AddEvidence(TransactionContext context, string text) =>
        context.AddEvidence(FilterName, PipelineStage.Rcpt, text);
}
