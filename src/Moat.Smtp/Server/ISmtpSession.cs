using System.Net;
using System.Security.Authentication;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Server;

/// <summary>
/// What the server knows about one connection, as a read-only view for the session handler.
/// The server owns and updates it; the handler only reads it.
/// </summary>
public interface ISmtpSession
{
    /// <summary>A short unique id for logs.</summary>
    string Id { get; }

    IPEndPoint RemoteEndPoint { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>The configured name of the listener that accepted the connection.</summary>
    string ListenerName { get; }

    /// <summary>The name given with HELO or EHLO, or null before it.</summary>
    string? HeloName { get; }

    /// <summary>The client greeted with EHLO rather than HELO.</summary>
    bool IsExtended { get; }

    /// <summary>TLS is active (STARTTLS completed or implicit TLS).</summary>
    bool IsSecure { get; }

    SslProtocols TlsProtocol { get; }

    string? TlsCipher { get; }

    /// <summary>
    /// The user name a successful AUTH presented, or null. It outlives RSET and a new EHLO
    /// (RFC 4954 lets the server keep it); STARTTLS, the one thing that would reset it, is
    /// refused once the session is secure, and AUTH needs a secure session.
    /// </summary>
    string? AuthenticatedUser { get; }

    /// <summary>The accepted MAIL FROM of the current transaction, or null.</summary>
    MailFromRequest? MailFrom { get; }

    /// <summary>The accepted recipients of the current transaction, in order.</summary>
    IReadOnlyList<RcptToRequest> Recipients { get; }
}
