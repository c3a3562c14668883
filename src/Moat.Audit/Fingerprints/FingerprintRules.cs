using static Moat.Audit.Fingerprints.FingerprintSource;

namespace Moat.Audit.Fingerprints;

/// <summary>
/// The traits that tell SMTP servers apart, as data. Sources: captures from the real servers
/// (Postfix 3.7, smtp-sink, aiosmtpd 1.4, Moat's own reply table) and, for the others, published
/// transcripts and their source code. Weights: about 1.5 for a trait only one product has (its
/// name in the banner, a help text), 0.6–1.2 for a wording only it uses, 0.2–0.4 for one a few
/// share (the neutral greeting, "221 2.0.0 Bye"). Patterns are case-sensitive regular expressions
/// matched against single lines; see <see cref="FingerprintSource"/> for what each source is.
/// </summary>
public static class FingerprintRules
{
    private const string Version = @"(?<version>\d+\.\d+(?:\.\d+)*)";

    public static IReadOnlyList<FingerprintRule> All { get; } =
    [
        // Postfix: banner "$myhostname ESMTP $mail_name" by default, with the version only when
        // someone adds $mail_version. Its error texts start with "Error:" and echo the address.
        new(ProductNames.Postfix, Greeting, @"^220[ -]\S+ ESMTP Postfix\b", 1.5, "greeting names Postfix"),
        new(ProductNames.Postfix, Greeting, @"\bESMTP Postfix " + Version, 0.5, "greeting shows the Postfix version"),
        new(ProductNames.Postfix, EhloKeywords, @"^PIPELINING SIZE( VRFY)? ETRN( STARTTLS)?( AUTH)?( AUTH=\S+)?( XCLIENT)?( XFORWARD)? ENHANCEDSTATUSCODES 8BITMIME DSN( SMTPUTF8)?( CHUNKING)?$", 0.8, "EHLO keywords in Postfix's order, with ETRN"),
        new(ProductNames.Postfix, UnknownCommand, @"^50[02] 5\.5\.2 Error: command not recognized$", 1.2, "unknown command: \"Error: command not recognized\""),
        new(ProductNames.Postfix, Help, @"^50[02] 5\.5\.2 Error: command not recognized$", 0.4, "HELP is not a command"),
        new(ProductNames.Postfix, Vrfy, @"^252 2\.0\.0 [^ <>]+$", 0.6, "VRFY answers 252 with the bare name"),
        new(ProductNames.Postfix, Vrfy, @"^550 5\.1\.1 <[^>]*>: Recipient address rejected: ", 0.6, "VRFY: \"Recipient address rejected\""),
        new(ProductNames.Postfix, Vrfy, @"^502 5\.5\.1 VRFY command is disabled$", 1.2, "VRFY: \"VRFY command is disabled\""),
        new(ProductNames.Postfix, BadMailFrom, @"^501 5\.1\.7 Bad sender address syntax$", 0.3, "malformed sender: \"Bad sender address syntax\""),
        new(ProductNames.Postfix, Rset, @"^250 2\.0\.0 Ok$", 0.3, "RSET: \"250 2.0.0 Ok\""),
        new(ProductNames.Postfix, Quit, @"^221 2\.0\.0 Bye$", 0.2, "QUIT: \"221 2.0.0 Bye\""),
        new(ProductNames.Postfix, RelayReply, @"^554 5\.7\.1 <[^>]*>: Relay access denied$", 0.8, "relay refused: \"<address>: Relay access denied\""),
        new(ProductNames.Postfix, RelayReply, @"^5\d\d 5\.\d\.\d <[^>]*>: (Recipient|Sender) address rejected: ", 0.4, "\"<address>: Recipient address rejected\""),

        // Postfix's smtp-sink test server: says Ok to everything, including VRFY of any name and a
        // malformed sender, and ends its EHLO reply with an empty line.
        new(ProductNames.PostfixSmtpSink, Greeting, @"^220 smtp-sink ESMTP$", 1.0, "greeting with smtp-sink's default host name"),
        new(ProductNames.PostfixSmtpSink, Greeting, @"^220 \S+ ESMTP$", 0.2, "neutral greeting"),
        new(ProductNames.PostfixSmtpSink, EhloLine, @"^250 $", 1.0, "EHLO reply ends with an empty line"),
        new(ProductNames.PostfixSmtpSink, EhloKeywords, @"^PIPELINING 8BITMIME( AUTH)?( XCLIENT)?( XFORWARD)? ENHANCEDSTATUSCODES DSN\b", 0.8, "EHLO keywords in smtp-sink's order"),
        new(ProductNames.PostfixSmtpSink, EhloKeywords, @"\bXCLIENT\b.*\bXFORWARD\b", 0.4, "XCLIENT and XFORWARD offered to anyone"),
        new(ProductNames.PostfixSmtpSink, UnknownCommand, @"^500 5\.5\.1 Error: unknown command$", 1.2, "unknown command: \"Error: unknown command\""),
        new(ProductNames.PostfixSmtpSink, Help, @"^500 5\.5\.1 Error: unknown command$", 0.3, "HELP is not a command"),
        new(ProductNames.PostfixSmtpSink, Vrfy, @"^250 2\.0\.0 Ok$", 0.6, "VRFY says Ok to any name"),
        new(ProductNames.PostfixSmtpSink, BadMailFrom, @"^250 2\.1\.0 Ok$", 0.4, "a malformed sender is accepted"),
        new(ProductNames.PostfixSmtpSink, Rset, @"^250 2\.1\.0 Ok$", 0.8, "RSET: \"250 2.1.0 Ok\""),
        new(ProductNames.PostfixSmtpSink, Quit, @"^221 Bye$", 0.2, "QUIT: \"221 Bye\""),

        // Python aiosmtpd: the greeting names "Python SMTP" and aiosmtpd's version; HELP answers 250.
        new(ProductNames.Aiosmtpd, Greeting, @"^220[ -]\S+ Python SMTP " + Version, 1.5, "greeting names Python SMTP and the aiosmtpd version"),
        new(ProductNames.Aiosmtpd, UnknownCommand, @"^500 Error: command ""[^""]*"" not recognized$", 1.2, "unknown command: 'Error: command \"X\" not recognized'"),
        new(ProductNames.Aiosmtpd, Help, @"^250 Supported commands: ", 1.0, "HELP: \"250 Supported commands:\""),
        new(ProductNames.Aiosmtpd, Vrfy, @"^252 Cannot VRFY user, but will accept message and attempt delivery$", 0.6, "VRFY: 252 without an enhanced status code"),
        new(ProductNames.Aiosmtpd, Expn, @"^502 EXPN not implemented$", 0.6, "EXPN: \"502 EXPN not implemented\""),
        new(ProductNames.Aiosmtpd, BadMailFrom, @"^553 5\.1\.3 Error: malformed address$", 0.6, "malformed sender: \"Error: malformed address\""),
        new(ProductNames.Aiosmtpd, EhloKeywords, @"^(SIZE )?8BITMIME( SMTPUTF8)?( STARTTLS)?( AUTH)? HELP$", 0.5, "EHLO keywords in aiosmtpd's order, HELP last"),
        new(ProductNames.Aiosmtpd, Quit, @"^221 Bye$", 0.2, "QUIT: \"221 Bye\""),

        // Moat: a neutral greeting and Postfix's keyword order (without VRFY and ETRN), but its
        // own reply texts (src/Moat.Smtp/Protocol/SmtpReplies.cs).
        new(ProductNames.Moat, Greeting, @"^220 \S+ ESMTP$", 0.2, "neutral greeting"),
        new(ProductNames.Moat, Help, @"^214 2\.0\.0 See RFC 5321$", 1.5, "HELP: \"See RFC 5321\""),
        new(ProductNames.Moat, Vrfy, @"^252 2\.5\.0 Cannot VRFY user, but will accept message and attempt delivery$", 0.8, "VRFY: 252 2.5.0 for every name"),
        new(ProductNames.Moat, Expn, @"^502 5\.5\.1 Command not implemented$", 0.4, "EXPN: \"502 5.5.1 Command not implemented\""),
        new(ProductNames.Moat, UnknownCommand, @"^500 5\.5\.2 Command not recognized$", 0.8, "unknown command: \"500 5.5.2 Command not recognized\""),
        new(ProductNames.Moat, EhloKeywords, @"^PIPELINING SIZE( STARTTLS)?( AUTH)? ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING$", 0.6, "EHLO keywords in Postfix's order without VRFY and ETRN"),
        new(ProductNames.Moat, BadMailFrom, @"^501 5\.1\.7 Bad sender address syntax$", 0.3, "malformed sender: \"Bad sender address syntax\""),
        new(ProductNames.Moat, Rset, @"^250 2\.0\.0 OK$", 0.3, "RSET: \"250 2.0.0 OK\""),
        new(ProductNames.Moat, Quit, @"^221 2\.0\.0 Bye$", 0.2, "QUIT: \"221 2.0.0 Bye\""),
        new(ProductNames.Moat, RelayReply, @"^554 5\.7\.1 Relay access denied$", 0.5, "relay refused: \"Relay access denied\" without the address"),

        // Exim: banner "ESMTP Exim 4.96 <date>", "Hello <name> [<ip>]" in EHLO, its own
        // extensions (PIPE_CONNECT, PRDR) and terse texts.
        new(ProductNames.Exim, Greeting, @"\bESMTP Exim\b(?: " + Version + ")?", 1.5, "greeting names Exim"),
        new(ProductNames.Exim, EhloLine, @"^250-\S+ Hello \S+ \[[0-9A-Fa-f.:]+\]$", 0.5, "EHLO: \"Hello <name> [<address>]\""),
        new(ProductNames.Exim, EhloKeywords, @"\b(X_PIPE_CONNECT|PIPE_CONNECT|PIPECONNECT|PRDR)\b", 0.8, "EHLO offers Exim's PIPE_CONNECT or PRDR"),
        new(ProductNames.Exim, EhloKeywords, @"\bPIPELINING\b.* HELP$", 0.2, "EHLO ends with HELP"),
        new(ProductNames.Exim, UnknownCommand, @"^500 unrecognized command$", 1.0, "unknown command: \"500 unrecognized command\""),
        new(ProductNames.Exim, Help, @"^214[ -]\s*(AUTH )?(STARTTLS )?HELO EHLO MAIL RCPT DATA", 0.6, "HELP lists the commands after \"Commands supported:\""),
        new(ProductNames.Exim, Vrfy, @"^252 Administrative prohibition$", 0.8, "VRFY: \"252 Administrative prohibition\""),
        new(ProductNames.Exim, Vrfy, @"^501 \S+: recipient address must contain a domain$", 0.8, "VRFY: \"recipient address must contain a domain\""),
        new(ProductNames.Exim, Expn, @"^550 Administrative prohibition$", 0.5, "EXPN: \"550 Administrative prohibition\""),
        new(ProductNames.Exim, BadMailFrom, @"^501 .*: malformed address: ", 0.5, "malformed sender: \"malformed address\""),
        new(ProductNames.Exim, Rset, @"^250 Reset OK$", 0.6, "RSET: \"250 Reset OK\""),
        new(ProductNames.Exim, Quit, @"^221 \S+ closing connection$", 0.4, "QUIT: \"<host> closing connection\""),
        new(ProductNames.Exim, RelayReply, @"^550 relay not permitted$", 0.8, "relay refused: \"relay not permitted\""),

        // Sendmail: banner "ESMTP Sendmail 8.15.2/8.15.2; <date>", "pleased to meet you", EXPN
        // and VERB offered, "..." after addresses, HELP naming sendmail and its version.
        new(ProductNames.Sendmail, Greeting, @"\bESMTP Sendmail\b(?: " + Version + ")?", 1.5, "greeting names Sendmail"),
        new(ProductNames.Sendmail, EhloLine, @"^250-\S+ Hello .*, pleased to meet you$", 0.3, "EHLO: \"pleased to meet you\""),
        new(ProductNames.Sendmail, EhloKeywords, @"\bEXPN VERB\b", 0.8, "EHLO offers EXPN and VERB"),
        new(ProductNames.Sendmail, EhloKeywords, @"\bDELIVERBY\b", 0.8, "EHLO offers DELIVERBY"),
        new(ProductNames.Sendmail, EhloKeywords, @"^ENHANCEDSTATUSCODES PIPELINING\b", 0.4, "EHLO starts with ENHANCEDSTATUSCODES PIPELINING"),
        new(ProductNames.Sendmail, UnknownCommand, @"^500 5\.5\.1 Command unrecognized: """, 1.2, "unknown command: 'Command unrecognized: \"X\"'"),
        new(ProductNames.Sendmail, Help, @"^214-2\.0\.0 This is sendmail(?: version " + Version + ")?", 1.5, "HELP: \"This is sendmail\""),
        new(ProductNames.Sendmail, Vrfy, @"^252 2\.5\.2 Cannot VRFY user; try RCPT to attempt delivery", 1.0, "VRFY: \"Cannot VRFY user; try RCPT to attempt delivery\""),
        new(ProductNames.Sendmail, Vrfy, @"^550 5\.1\.1 \S+\.\.\. User unknown$", 0.8, "VRFY: \"<name>... User unknown\""),
        new(ProductNames.Sendmail, Rset, @"^250 2\.0\.0 Reset state$", 0.8, "RSET: \"Reset state\""),
        new(ProductNames.Sendmail, Quit, @"^221 2\.0\.0 \S+ closing connection$", 0.5, "QUIT: \"2.0.0 <host> closing connection\""),
        new(ProductNames.Sendmail, RelayReply, @"^550 5\.7\.1 <?[^>]*>?\.\.\. Relaying denied", 1.0, "relay refused: \"... Relaying denied\""),
        new(ProductNames.Sendmail, BadMailFrom, @"^5\d\d 5\.\d\.\d <[^>]*>\.\.\. ", 0.5, "malformed sender: \"<address>... \""),

        // Microsoft Exchange: the banner, its private EHLO extensions, and its own wordings.
        new(ProductNames.MicrosoftExchange, Greeting, @"\bMicrosoft ESMTP MAIL Service\b(?:, Version: " + Version + ")?", 1.5, "greeting: \"Microsoft ESMTP MAIL Service\""),
        new(ProductNames.MicrosoftExchange, EhloKeywords, @"\bX-ANONYMOUSTLS\b", 1.0, "EHLO offers X-ANONYMOUSTLS"),
        new(ProductNames.MicrosoftExchange, EhloKeywords, @"\bX-EXPS\b", 0.8, "EHLO offers X-EXPS"),
        new(ProductNames.MicrosoftExchange, EhloKeywords, @"\bXEXCH50\b", 1.0, "EHLO offers XEXCH50"),
        new(ProductNames.MicrosoftExchange, EhloKeywords, @"\b(XRDST|XSHADOW|XSHADOWREQUEST)\b", 0.6, "EHLO offers XRDST or XSHADOW"),
        new(ProductNames.MicrosoftExchange, EhloLine, @"^250-\S+ Hello \[[0-9A-Fa-f.:]+\]$", 0.4, "EHLO: \"Hello [<address>]\""),
        new(ProductNames.MicrosoftExchange, UnknownCommand, @"^500 5\.3\.3 Unrecognized command", 1.2, "unknown command: \"500 5.3.3 Unrecognized command\""),
        new(ProductNames.MicrosoftExchange, Help, @"^214-This server supports the following commands:$", 1.0, "HELP: \"This server supports the following commands\""),
        new(ProductNames.MicrosoftExchange, Vrfy, @"^252 2\.1\.5 Cannot VRFY user, but will take message for <", 1.0, "VRFY: \"Cannot VRFY user, but will take message for\""),
        new(ProductNames.MicrosoftExchange, BadMailFrom, @"^501 5\.1\.7 Invalid address$", 0.8, "malformed sender: \"501 5.1.7 Invalid address\""),
        new(ProductNames.MicrosoftExchange, Rset, @"^250 2\.0\.0 Resetting$", 0.8, "RSET: \"Resetting\""),
        new(ProductNames.MicrosoftExchange, Quit, @"^221 2\.0\.0 Service closing transmission channel$", 0.8, "QUIT: \"Service closing transmission channel\""),
        new(ProductNames.MicrosoftExchange, RelayReply, @"^550 5\.7\.(54|1) .*Unable to relay", 1.0, "relay refused: \"Unable to relay\""),

        // OpenSMTPD: banner "ESMTP OpenSMTPD", HELP "This is OpenSMTPD", no VRFY at all.
        new(ProductNames.OpenSmtpd, Greeting, @"\bESMTP OpenSMTPD\b", 1.5, "greeting names OpenSMTPD"),
        new(ProductNames.OpenSmtpd, EhloLine, @"^250-\S+ Hello .*, pleased to meet you$", 0.3, "EHLO: \"pleased to meet you\""),
        new(ProductNames.OpenSmtpd, EhloKeywords, @"^8BITMIME ENHANCEDSTATUSCODES( SIZE)?( DSN)?( STARTTLS)?( AUTH)?( PIPELINING)? HELP$", 0.8, "EHLO keywords in OpenSMTPD's order"),
        new(ProductNames.OpenSmtpd, UnknownCommand, @"^500 5\.5\.1 Invalid command: Command unrecognized$", 1.2, "unknown command: \"Invalid command: Command unrecognized\""),
        new(ProductNames.OpenSmtpd, Help, @"^214-(2\.0\.0)? ?This is OpenSMTPD$", 1.5, "HELP: \"This is OpenSMTPD\""),
        new(ProductNames.OpenSmtpd, Vrfy, @"^500 5\.5\.1 Invalid command: Command unrecognized$", 0.5, "VRFY is not a command"),
        new(ProductNames.OpenSmtpd, BadMailFrom, @"^553 5\.1\.[07]:? Sender address syntax error$", 0.8, "malformed sender: \"Sender address syntax error\""),
        new(ProductNames.OpenSmtpd, RelayReply, @"^550 Invalid recipient: <", 0.8, "relay refused: \"Invalid recipient\""),

        // Haraka: banner "ESMTP Haraka/3.0.3 ready" (older "ESMTP Haraka 2.8.8 ready") and its cheerful texts.
        new(ProductNames.Haraka, Greeting, @"\bESMTP Haraka\b(?:[/ ]" + Version + ")?", 1.5, "greeting names Haraka"),
        new(ProductNames.Haraka, EhloLine, @"Haraka is at your service\.?$", 1.5, "EHLO: \"Haraka is at your service\""),
        new(ProductNames.Haraka, Vrfy, @"^252 Just try sending a mail and we'll see how it turns out\.\.\.$", 0.8, "VRFY: \"Just try sending a mail and we'll see how it turns out...\""),
        new(ProductNames.Haraka, Quit, @"Have a jolly good day\.?$", 1.2, "QUIT: \"Have a jolly good day\""),
        new(ProductNames.Haraka, UnknownCommand, @"^500 (5\.5\.[12] )?Unrecognized command$", 0.4, "unknown command: \"Unrecognized command\""),
    ];
}
