namespace Moat.Smtp.Protocol;

/// <summary>A parsed command line. Commands with arguments the server acts on have their own subtype.</summary>
/// <param name="Argument">The text after the verb, trimmed (empty when none).</param>
public record SmtpCommand(SmtpVerb Verb, string Argument);
