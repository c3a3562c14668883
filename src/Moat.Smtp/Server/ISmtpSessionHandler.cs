using Moat.Smtp.Protocol;

namespace Moat.Smtp.Server;

/// <summary>
/// The seam between the SMTP server and everything that decides. One handler serves one
/// connection. Each hook returns null to let the server give its normal positive reply, or a
/// complete reply (4xx or 5xx) to give instead. A hook that throws makes the server answer
/// <c>451 4.3.0</c> (<c>454 4.7.0</c> for AUTH, the code RFC 4954 gives that meaning): a local
/// fault is never a pass and never a permanent failure.
/// </summary>
public interface ISmtpSessionHandler : IAsyncDisposable
{
    /// <summary>Before the greeting. A reply here is sent instead of the greeting; a 4xx/5xx one closes the connection (RFC 5321 §3.1 "554 no SMTP service").</summary>
    ValueTask<SmtpReply?> OnConnectAsync(CancellationToken cancellationToken);

    ValueTask<SmtpReply?> OnHeloAsync(string domain, CancellationToken cancellationToken);

    ValueTask<SmtpReply?> OnMailFromAsync(MailFromRequest request, CancellationToken cancellationToken);

    ValueTask<SmtpReply?> OnRcptToAsync(RcptToRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// DATA or the first BDAT chunk was accepted. Returns the stream the server writes the
    /// message into (dot-unstuffed, CRLF line endings, exactly as received otherwise).
    /// </summary>
    ValueTask<Stream> BeginMessageAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The whole message has been written. Runs the content checks and, for an accepting
    /// verdict, makes the message durable before returning the 250 reply. The returned reply
    /// is sent as is.
    /// </summary>
    ValueTask<SmtpReply> CompleteMessageAsync(long size, CancellationToken cancellationToken);

    /// <summary>
    /// AUTH (RFC 4954) brought credentials of the right form over TLS; nothing more has been
    /// checked. Returns the whole reply: <c>235 2.7.0</c> accepts them (the session is then
    /// authenticated as <see cref="SmtpCredentials.UserName"/>), <c>535 5.7.8</c> refuses them,
    /// <c>454 4.7.0</c> asks the client to come back later (for example while a password-spraying
    /// guard holds the account or the address), <c>534</c>/<c>538</c> where the mechanism is not
    /// good enough. Any other positive reply, or a throw, is answered <c>454 4.7.0</c>: a local
    /// fault never lets anyone in. Refusals count toward the session's error limit. The password
    /// must never be logged.
    /// </summary>
    ValueTask<SmtpReply> OnAuthenticateAsync(SmtpCredentials credentials, CancellationToken cancellationToken);

    /// <summary>The message will not complete (too large, client vanished, protocol error): discard it.</summary>
    ValueTask AbortMessageAsync();

    /// <summary>The transaction ended (RSET, HELO/EHLO again, after DATA): forget its state.</summary>
    void OnReset();
}
