namespace Moat.Smtp.Protocol;

/// <summary>MAIL FROM with its parsed reverse-path and parameters.</summary>
public sealed record MailCommand(MailFromRequest Request, string Argument)
    : SmtpCommand(SmtpVerb.Mail, Argument);
