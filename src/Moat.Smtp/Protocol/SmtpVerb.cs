namespace Moat.Smtp.Protocol;

/// <summary>The SMTP commands the server knows.</summary>
public enum SmtpVerb
{
    Unknown,
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}
