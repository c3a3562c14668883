namespace Moat.Smtp.Protocol;

/// <summary>
/// AUTH (RFC 4954 §4) with its SASL mechanism name, upper-cased, and the initial response if
/// the client sent one. The argument keeps only the mechanism: the response is a credential.
/// </summary>
public sealed record AuthCommand(string Mechanism, SaslResponse? InitialResponse)
    : SmtpCommand(SmtpVerb.Auth, Mechanism);
