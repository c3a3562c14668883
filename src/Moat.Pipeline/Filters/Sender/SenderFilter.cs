using Moat.Pipeline.Filters.Relay;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Filters.Sender;

/// <summary>
/// Cheap syntax checks on the reverse-path. A sender we could never return a bounce to is
/// refused before any content is taken. The null sender <c>&lt;&gt;</c> of bounces always passes.
/// </summary>
public sealed class SenderFilter : IFilter
{
    public const string FilterName = "sender";

    public static SmtpReply UnqualifiedReply { get; } = new(553, "5.1.7", "Sender address must be fully qualified");

    public static SmtpReply BadSyntaxReply { get; } = new(553, "5.1.7", "Bad sender's mailbox address syntax");

    public static SmtpReply NotOwnedReply { get; } = new(553, "5.7.1", "Sender address rejected: not owned by the authenticated user");

    private static readonly PipelineStage[] StagesUsed = [PipelineStage.Mail];

    private readonly SenderFilterOptions options;
    private readonly RelayPolicy relayPolicy;

    public SenderFilter(SenderFilterOptions options, RelayPolicy relayPolicy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(relayPolicy);
        this.options = options;
        this.relayPolicy = relayPolicy;
    }

    public string Name => FilterName;

    public string Description => "Refuses senders that are unqualified or have an invalid domain; lets the null sender through.";

    public IReadOnlyCollection<PipelineStage> Stages => StagesUsed;

    public ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (stage != PipelineStage.Mail)
        {
            return ValueTask.FromResult(Verdict.Continue);
        }

        var mailFrom = context.MailFrom ?? throw new InvalidOperationException("The Mail stage ran without a MAIL FROM.");
        return ValueTask.FromResult(Evaluate(context, mailFrom.Path));
    }

    private Verdict Evaluate(TransactionContext context, SmtpPath sender)
    {
        if (context.AuthenticatedUser is { } user && !MayUse(user, sender))
        {
            return Refuse(context, NotOwnedReply, $"authenticated user {user} may not send as {(sender.IsNull ? "<>" : sender.Address)} (sender ownership: {options.AuthenticatedSenders.ToString().ToLowerInvariant()})");
        }

        if (sender.IsNull)
        {
            return Verdict.Continue;
        }

        // RFC 5321 §3.6.1: a server SHOULD ignore a source route; the mailbox is what counts.
        if (sender.SourceRoute is not null)
        {
            AddEvidence(context, $"source route ignored for sender {sender}");
        }

        var trusted = relayPolicy.IsTrusted(context);
        var unqualifiedAllowed = trusted && options.AllowUnqualifiedFromTrusted;

        if (sender.Domain is null)
        {
            return unqualifiedAllowed ? Verdict.Continue : Refuse(context, UnqualifiedReply, $"sender {sender} has no domain");
        }

        if (sender.IsAddressLiteral)
        {
            return DomainName.IsValidAddressLiteral(sender.Domain)
                ? Verdict.Continue
                : Refuse(context, BadSyntaxReply, $"sender {sender} has an invalid address literal");
        }

        if (!DomainName.TryNormalize(sender.Domain, out var domain))
        {
            return Refuse(context, BadSyntaxReply, $"sender {sender} has an invalid domain");
        }

        if (!DomainName.IsFullyQualified(domain) && !unqualifiedAllowed)
        {
            return Refuse(context, UnqualifiedReply, $"sender {sender} has a domain that is not fully qualified");
        }

        // Our own domain from outside is often forged, but mailing lists and forwarders send it
        // legitimately too; sender authentication decides later, this only leaves a trace.
        if (!trusted && context.ListenerRole == ListenerRole.Inbound && relayPolicy.IsAcceptedDomain(domain))
        {
            AddEvidence(context, $"untrusted client {context.ClientAddress} uses our domain in sender {sender}");
        }

        return Verdict.Continue;
    }

    private bool MayUse(string user, SmtpPath sender)
    {
        if (options.AuthenticatedSenders == SenderOwnership.Any)
        {
            return true;
        }

        if (sender.IsNull || sender.Domain is null)
        {
            return false;
        }

        if (options.AuthenticatedSenders == SenderOwnership.Own)
        {
            return sender.Address.Equals(user, StringComparison.OrdinalIgnoreCase);
        }

        var at = user.LastIndexOf('@');
        return at > 0
            && DomainName.TryNormalize(sender.Domain, out var senderDomain)
            && DomainName.TryNormalize(user[(at + 1)..], out var userDomain)
            && senderDomain == userDomain;
    }

    private static Verdict Refuse(TransactionContext context, SmtpReply reply, string reason)
    {
        AddEvidence(context, reason);
        return Verdict.Reject(reply);
    }

    private static void AddEvidence(TransactionContext context, string text) =>
        context.AddEvidence(FilterName, PipelineStage.Mail, text);
}
