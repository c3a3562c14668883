using Moat.Pipeline;
using Moat.Scanning.Content;
using Moat.Scanning.Scanning;
using Moat.Smtp.Protocol;

namespace Moat.Scanning.Filter;

/// <summary>
/// The antivirus content check: scans every message with the engines configured for its
/// direction, so the gateway neither lets a virus in nor sends one out. An engine that cannot
/// decide makes the message wait (451 4.7.0), never pass unchecked.
/// </summary>
public sealed class AntivirusFilter : IFilter
{
    public const string FilterName = "antivirus";

    public const string StatusHeader = "X-Virus-Status";

    private static readonly SmtpReply ScanFailedReply = new(451, "4.7.0", "Temporary failure in virus scanning, try again later");

    private readonly MultiEngineScanner inbound;
    private readonly MultiEngineScanner outbound;
    private readonly AntivirusAction inboundAction;
    private readonly AntivirusAction outboundAction;

    public AntivirusFilter(MultiEngineScanner inbound, AntivirusAction inboundAction, MultiEngineScanner outbound, AntivirusAction outboundAction)
    {
        this.inbound = inbound;
        this.outbound = outbound;
        this.inboundAction = inboundAction;
        this.outboundAction = outboundAction;
    }

    public string Name => FilterName;

    public string Description => "Scans every MIME part and archive member with the engines configured for the direction; rejects or quarantines viruses.";

    public IReadOnlyCollection<PipelineStage> Stages { get; } = [PipelineStage.Content];

    public async ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        var open = context.OpenContent ?? throw new InvalidOperationException("The content stage ran without the message.");
        var action = context.Direction == MailDirection.Outbound ? outboundAction : inboundAction;
        var report = await ScanAsync(open, context.MessageSize, context.Direction ?? MailDirection.Inbound, cancellationToken);
        var outcome = report.Outcome;
        context.AddEvidence(FilterName, stage, $"{outcome} ({report.ObjectsScanned} objects, {report.BytesScanned} bytes, {report.Duration.TotalMilliseconds:0} ms)");
        if (outcome.Kind == ScanOutcomeKind.Infected && action == AntivirusAction.Tag)
        {
            // The name clamav-milter made the convention, so existing sieve and procmail rules work.
            context.AddHeader(StatusHeader, "Infected (" + Threats(outcome) + ")");
            return Verdict.Continue;
        }

        return outcome.Kind switch
        {
            ScanOutcomeKind.Clean => Verdict.Continue,
            ScanOutcomeKind.Infected when action == AntivirusAction.Quarantine => Verdict.Quarantine(HoldReason(outcome)!),
            ScanOutcomeKind.Infected => Verdict.Reject(554, "5.7.0", "Message rejected: virus found (" + Threats(outcome) + ")"),
            ScanOutcomeKind.LimitExceeded when outcome.LimitAction == LimitAction.Quarantine => Verdict.Quarantine(HoldReason(outcome)!),
            ScanOutcomeKind.LimitExceeded => Verdict.Reject(554, "5.7.0", "Message rejected: content could not be fully checked (" + Limits(outcome) + ")"),
            _ => Verdict.TempFail(ScanFailedReply),
        };
    }

    /// <summary>Scans a whole message with the engines of <paramref name="direction"/>, as at receipt (held mail is scanned again this way before release).</summary>
    public Task<ScanReport> ScanAsync(Func<CancellationToken, ValueTask<Stream>> open, long? size, MailDirection direction, CancellationToken cancellationToken) =>
        (direction == MailDirection.Outbound ? outbound : inbound).ScanAsync(ScanRoots.FromStream("message", open, size, isMessage: true), cancellationToken);

    /// <summary>The quarantine reason for a threat or an unchecked message ("virus: …", "content could not be fully checked: …"); null for a clean one or a failed scan.</summary>
    public static string? HoldReason(ScanOutcome outcome) => outcome.Kind switch
    {
        ScanOutcomeKind.Infected => "virus: " + string.Join(", ", outcome.Threats),
        ScanOutcomeKind.LimitExceeded => "content could not be fully checked: " + Limits(outcome),
        _ => null,
    };

    // A reply line must stay short and plain ASCII whatever the threat names are.
    private static string Threats(ScanOutcome outcome)
    {
        var text = string.Join(", ", outcome.Threats.Take(3));
        text = new string(text.Where(c => c is >= ' ' and <= '~').ToArray());
        return text.Length > 200 ? text[..200] : text;
    }

    private static string Limits(ScanOutcome outcome) =>
        string.Join(", ", outcome.Violations.Select(v => v.Limit).Distinct(StringComparer.Ordinal));
}
