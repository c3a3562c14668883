namespace Moat.Smtp.Protocol;

/// <summary>
/// A complete SMTP reply: a three-digit code, an optional enhanced status code (RFC 3463) and
/// one or more lines of text. Policy answers with a whole reply or nothing (Postfix's rule), so
/// the code decides between "try later" (4xx) and "never" (5xx), not the protocol layer.
/// </summary>
public sealed record SmtpReply(int Code, string? EnhancedCode, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? enhancedCode, string text)
        : this(code, enhancedCode, [text])
    {
    }

    public bool IsPositive => Code < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>The reply's text as one string, lines joined by a space, for logs.</summary>
    public override string ToString() =>
        EnhancedCode is null ? $"{Code} {string.Join(' ', Lines)}" : $"{Code} {EnhancedCode} {string.Join(' ', Lines)}";
}
