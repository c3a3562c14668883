namespace Moat.Smtp.Protocol;

/// <summary>
/// The outcome of parsing one command line: the verb is known even when the arguments are
/// wrong, so the server can answer 503 (wrong moment) before 501 (wrong syntax).
/// </summary>
public sealed record SmtpParseResult(SmtpVerb Verb, SmtpCommand? Command, SmtpReply? Error)
{
    public static SmtpParseResult Success(SmtpCommand command) => new(command.Verb, command, null);

    public static SmtpParseResult Failure(SmtpVerb verb, SmtpReply error) => new(verb, null, error);
}
