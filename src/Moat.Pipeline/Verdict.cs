using Moat.Smtp.Protocol;

namespace Moat.Pipeline;

/// <summary>
/// What a filter decides at one stage. Refusals carry a whole SMTP reply, because only the
/// filter knows whether the problem is temporary (4xx) or permanent (5xx).
/// </summary>
public sealed record Verdict
{
    private Verdict(VerdictKind kind, SmtpReply? reply, string? reason)
    {
        Kind = kind;
        Reply = reply;
        Reason = reason;
    }

    public static Verdict Continue { get; } = new(VerdictKind.Continue, null, null);

    public static Verdict Accept { get; } = new(VerdictKind.Accept, null, null);

    public VerdictKind Kind { get; }

    /// <summary>The reply to send for <see cref="VerdictKind.TempFail"/> and <see cref="VerdictKind.Reject"/>; null otherwise.</summary>
    public SmtpReply? Reply { get; }

    /// <summary>Why the message is quarantined, held or discarded; null for the other kinds.</summary>
    public string? Reason { get; }

    public bool IsContinue => Kind == VerdictKind.Continue;

    public static Verdict TempFail(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.IsTransient)
        {
            throw new ArgumentException($"A temporary failure needs a 4xx reply, not {reply.Code}.", nameof(reply));
        }

        return new Verdict(VerdictKind.TempFail, reply, null);
    }

    public static Verdict TempFail(int code, string enhancedCode, string text) =>
        TempFail(new SmtpReply(code, enhancedCode, text));

    public static Verdict Reject(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.IsPermanent)
        {
            throw new ArgumentException($"A rejection needs a 5xx reply, not {reply.Code}.", nameof(reply));
        }

        return new Verdict(VerdictKind.Reject, reply, null);
    }

    public static Verdict Reject(int code, string enhancedCode, string text) =>
        Reject(new SmtpReply(code, enhancedCode, text));

    public static Verdict Quarantine(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new Verdict(VerdictKind.Quarantine, null, reason);
    }

    public static Verdict Hold(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new Verdict(VerdictKind.Hold, null, reason);
    }

    public static Verdict Discard(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new Verdict(VerdictKind.Discard, null, reason);
    }

    public override string ToString() => Kind switch
    {
        VerdictKind.TempFail or VerdictKind.Reject => $"{Kind} {Reply}",
        VerdictKind.Quarantine or VerdictKind.Hold or VerdictKind.Discard => $"{Kind} ({Reason})",
        _ => Kind.ToString(),
    };
}
