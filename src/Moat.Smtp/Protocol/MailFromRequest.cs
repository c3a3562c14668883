namespace Moat.Smtp.Protocol;

/// <summary>A parsed MAIL FROM command with the ESMTP parameters Moat supports.</summary>
/// <param name="DeclaredSize">RFC 1870 SIZE=, if given.</param>
/// <param name="Body">RFC 6152 BODY= (7BIT or 8BITMIME), upper-cased, if given.</param>
/// <param name="SmtpUtf8">RFC 6531 SMTPUTF8 was given.</param>
/// <param name="DsnReturn">RFC 3461 RET= (FULL or HDRS), upper-cased, if given.</param>
/// <param name="EnvelopeId">RFC 3461 ENVID= (xtext-decoded), if given.</param>
/// <param name="AuthIdentity">
/// RFC 4954 §5 AUTH= (xtext-decoded), if given: the mailbox the client says originally submitted
/// the message, or "&lt;&gt;" for none it vouches for. Accepted only where AUTH is advertised;
/// the server records it and trusts nothing because of it.
/// </param>
public sealed record MailFromRequest(
    SmtpPath Path,
    long? DeclaredSize,
    string? Body,
    bool SmtpUtf8,
    string? DsnReturn,
    string? EnvelopeId,
    string? AuthIdentity = null);
