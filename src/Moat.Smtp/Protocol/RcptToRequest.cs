namespace Moat.Smtp.Protocol;

/// <summary>A parsed RCPT TO command with its RFC 3461 DSN parameters.</summary>
/// <param name="Notify">NOTIFY= (NEVER, or a comma list of SUCCESS, FAILURE, DELAY), upper-cased, if given.</param>
/// <param name="OriginalRecipient">ORCPT= as written (addr-type;xtext-decoded address), if given.</param>
public sealed record RcptToRequest(SmtpPath Path, string? Notify, string? OriginalRecipient);
