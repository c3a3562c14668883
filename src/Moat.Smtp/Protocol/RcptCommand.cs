namespace Moat.Smtp.Protocol;

/// <summary>RCPT TO with its parsed forward-path and parameters.</summary>
public sealed record RcptCommand(RcptToRequest Request, string Argument)
    : SmtpCommand(SmtpVerb.Rcpt, Argument);
