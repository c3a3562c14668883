namespace Moat.Smtp.Protocol;

/// <summary>
/// The fixed replies of the protocol and server layers, in plain RFC phrasing. None names the
/// product: a banner or error text that does helps attackers fingerprint the gateway.
/// </summary>
public static class SmtpReplies
{
    public static SmtpReply Ok { get; } = new(250, "2.0.0", "OK");

    public static SmtpReply MailOk { get; } = new(250, "2.1.0", "OK");

    public static SmtpReply RcptOk { get; } = new(250, "2.1.5", "OK");

    public static SmtpReply Bye { get; } = new(221, "2.0.0", "Bye");

    public static SmtpReply Help { get; } = new(214, "2.0.0", "See RFC 5321");

    public static SmtpReply CannotVrfy { get; } =
        new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    public static SmtpReply StartData { get; } = new(354, null, "End data with <CR><LF>.<CR><LF>");

    public static SmtpReply ReadyToStartTls { get; } = new(220, "2.0.0", "Ready to start TLS");

    public static SmtpReply ShuttingDown { get; } = new(421, "4.3.2", "Service shutting down");

    public static SmtpReply TooManyConnections { get; } = new(421, "4.7.0", "Too many connections, try again later");

    public static SmtpReply TooManyErrors { get; } = new(421, "4.7.0", "Too many errors");

    public static SmtpReply LocalProblem { get; } = new(451, "4.3.0", "Temporary local problem, try again later");

    public static SmtpReply TooManyRecipients { get; } = new(452, "4.5.3", "Too many recipients");

    public static SmtpReply LineTooLong { get; } = new(500, "5.5.6", "Line too long");

    public static SmtpReply CommandNotRecognized { get; } = new(500, "5.5.2", "Command not recognized");

    public static SmtpReply SyntaxError { get; } = new(501, "5.5.4", "Syntax error");

    public static SmtpReply BadSenderSyntax { get; } = new(501, "5.1.7", "Bad sender address syntax");

    public static SmtpReply BadRecipientSyntax { get; } = new(501, "5.1.3", "Bad recipient address syntax");

    public static SmtpReply NotImplemented { get; } = new(502, "5.5.1", "Command not implemented");

    public static SmtpReply BadSequence { get; } = new(503, "5.5.1", "Bad sequence of commands");

    public static SmtpReply MessageTooLarge { get; } = new(552, "5.3.4", "Message size exceeds fixed maximum message size");

    /// <summary>RFC 6531 §3.5: a non-ASCII address without SMTPUTF8 on MAIL.</summary>
    public static SmtpReply NonAsciiAddressWithoutSmtpUtf8 { get; } =
        new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");

    public static SmtpReply NoValidRecipients { get; } = new(554, "5.5.1", "No valid recipients");

    public static SmtpReply ProtocolError { get; } = new(554, "5.5.1", "Protocol error");

    public static SmtpReply BareLineEnding { get; } = new(554, "5.6.0", "Message contains bare CR or LF characters");

    public static SmtpReply UnsupportedParameter { get; } = new(555, "5.5.4", "Unsupported parameter");

    /// <summary>RFC 4954 §6: what a handler answers when the credentials are good.</summary>
    public static SmtpReply AuthenticationSucceeded { get; } = new(235, "2.7.0", "Authentication successful");

    /// <summary>RFC 4954 §6: the credentials are wrong. The same words whether the user or the password is.</summary>
    public static SmtpReply AuthenticationFailed { get; } = new(535, "5.7.8", "Authentication credentials invalid");

    /// <summary>RFC 4954 §6: the credentials could not be checked now.</summary>
    public static SmtpReply AuthenticationUnavailable { get; } = new(454, "4.7.0", "Temporary authentication failure");

    /// <summary>RFC 4954 §6: AUTH on a connection without TLS.</summary>
    public static SmtpReply AuthenticationNeedsEncryption { get; } =
        new(538, "5.7.11", "Encryption required for requested authentication mechanism");

    /// <summary>RFC 4954 §4: a second AUTH after a successful one.</summary>
    public static SmtpReply AlreadyAuthenticated { get; } = new(503, "5.5.1", "Already authenticated");

    /// <summary>RFC 4954 §4: the client answered a challenge with "*".</summary>
    public static SmtpReply AuthenticationCancelled { get; } = new(501, "5.0.0", "Authentication cancelled");

    /// <summary>RFC 4954 §4: a response that is not base64, or does not decode to what the mechanism expects.</summary>
    public static SmtpReply CannotDecodeResponse { get; } = new(501, "5.5.2", "Cannot decode response");

    /// <summary>RFC 4954 §6: a mechanism this listener does not offer.</summary>
    public static SmtpReply UnrecognizedAuthenticationType { get; } = new(504, "5.5.4", "Unrecognized authentication type");

    /// <summary>A 334 challenge; <paramref name="base64"/> is empty for "send your response".</summary>
    public static SmtpReply AuthenticationChallenge(string base64) => new(334, null, base64);

    public static SmtpReply Timeout(string hostName) => new(421, "4.4.2", $"{hostName} Error: timeout exceeded");

    public static SmtpReply ChunkReceived(long size) => new(250, "2.0.0", $"{size} octets received");
}
