using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Filters.Size;

/// <summary>
/// Refuses a message that is too large: at MAIL FROM when the client declares its size
/// (RFC 1870), so nothing is transferred in vain, and again once the content is in, because
/// the declaration is optional and may be a lie.
/// </summary>
public sealed class MessageSizeFilter : IFilter
{
    public const string FilterName = "size";

    public static SmtpReply TooLargeReply { get; } = new(552, "5.3.4", "Message size exceeds fixed maximum message size");

    private static readonly PipelineStage[] StagesUsed = [PipelineStage.Mail, PipelineStage.Content];

    private readonly long maxMessageSize;

    public MessageSizeFilter(MessageSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxMessageSize <= 0)
        {
            // No parameter name: the message is shown to operators as a configuration error.
            throw new ArgumentException($"the maximum message size must be positive, not {options.MaxMessageSize}");
        }

        maxMessageSize = options.MaxMessageSize;
    }

    public string Name => FilterName;

    public string Description => $"Refuses messages larger than {maxMessageSize} bytes, declared (SIZE=) or actual.";

    public IReadOnlyCollection<PipelineStage> Stages => StagesUsed;

    public ValueTask<Verdict> EvaluateAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (size, what) = stage switch
        {
            PipelineStage.Mail => (
                (context.MailFrom ?? throw new InvalidOperationException("The Mail stage ran without a MAIL FROM.")).DeclaredSize,
                "declared size"),
            PipelineStage.Content => (
                context.MessageSize ?? throw new InvalidOperationException("The Content stage ran without a message size."),
                "size"),
            _ => (null, string.Empty),
        };

        if (size is not { } bytes || bytes <= maxMessageSize)
        {
            return ValueTask.FromResult(Verdict.Continue);
        }

        context.AddEvidence(FilterName, stage, $"{what} {bytes} bytes exceeds the maximum of {maxMessageSize} bytes");
        return ValueTask.FromResult(Verdict.Reject(TooLargeReply));
    }
}
