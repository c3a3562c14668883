using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Filters.Recipients;

/// <summary>
/// For outbound mail, refuses recipient domains that can never be delivered to, while the
/// client is still there to be told, instead of queueing the message and bouncing it later.
/// Inbound recipients are relay control's business, so this filter must run after it.
/// </summary>
public sealed class RecipientDomainFilter : IFilter
{
    public const string FilterName = "recipient-domains";

    public static SmtpReply UnqualifiedReply { get; } = new(553, "5.1.3", "Recipient address must be fully qualified");

    public static SmtpReply BadSyntaxReply { get; } = new(553, "5.1.3", "Bad destination mailbox address syntax");

    private static readonly PipelineStage[] StagesUsed = [PipelineStage.Rcpt];

    private readonly RecipientDomainOptions options;

    public RecipientDomainFilter(RecipientDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    public string Name => FilterName;

    public string Description => "Refuses outbound recipients whose domain is not a valid fully qualified name (run after relay).";

    public IReadOnlyCollection<PipelineStage> Stages => StagesUsed;

    public ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (stage != PipelineStage.Rcpt || context.Direction != MailDirection.Outbound)
        {
            return ValueTask.FromResult(Verdict.Continue);
        }

        var recipient = context.CurrentRecipient
            ?? throw new InvalidOperationException("The Rcpt stage ran without a current recipient.");
        return ValueTask.FromResult(Evaluate(context, recipient.Path));
    }

    private Verdict Evaluate(TransactionContext context, SmtpPath recipient)
    {
        if (recipient.Domain is null)
        {
            // RFC 5321 §4.5.1: the bare postmaster is our own and always reachable.
            return string.Equals(recipient.LocalPart, "postmaster", StringComparison.OrdinalIgnoreCase)
                ? Verdict.Continue
                : Refuse(context, UnqualifiedReply, $"recipient {recipient} has no domain");
        }

        if (recipient.IsAddressLiteral)
        {
            if (!options.AllowAddressLiterals)
            {
                return Refuse(context, BadSyntaxReply, $"recipient {recipient} has an address literal, which outbound mail may not use");
            }

            return DomainName.IsValidAddressLiteral(recipient.Domain)
                ? Verdict.Continue
                : Refuse(context, BadSyntaxReply, $"recipient {recipient} has an invalid address literal");
        }

        if (!DomainName.TryNormalize(recipient.Domain, out var domain))
        {
            return Refuse(context, BadSyntaxReply, $"recipient {recipient} has an invalid domain");
        }

        return DomainName.IsFullyQualified(domain)
            ? Verdict.Continue
            : Refuse(context, UnqualifiedReply, $"recipient {recipient} has a domain that is not fully qualified");
    }

    private static Verdict Refuse(TransactionContext context, SmtpReply reply, string reason)
    {
        context.AddEvidence(FilterName, PipelineStage.Rcpt, reason);
        return Verdict.Reject(reply);
    }
}
