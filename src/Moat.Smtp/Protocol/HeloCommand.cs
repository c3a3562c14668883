namespace Moat.Smtp.Protocol;

/// <summary>HELO or EHLO with the name the client gave.</summary>
public sealed record HeloCommand(string Domain, bool IsExtended)
    : SmtpCommand(IsExtended ? SmtpVerb.Ehlo : SmtpVerb.Helo, Domain);
