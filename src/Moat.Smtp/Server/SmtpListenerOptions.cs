using System.Net;

namespace Moat.Smtp.Server;

/// <summary>One listening socket. Every listener runs the same session code and the same handler factory.</summary>
public sealed class SmtpListenerOptions
{
    /// <summary>A name for logs, metrics and policy (for example "inbound", "submission", "submissions").</summary>
    public required string Name { get; init; }

    /// <summary>Where to listen; port 0 picks a free port (see <see cref="SmtpServer.BoundEndPoints"/>).</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>TLS starts on connect (port 465, RFC 8314) instead of by STARTTLS.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>
    /// How long to hold the greeting back while watching for a client that talks first
    /// (postscreen's pregreet test). Zero still rejects a client whose bytes are already
    /// waiting when the greeting is due.
    /// </summary>
    public TimeSpan PregreetWait { get; init; }

    /// <summary>
    /// The SASL mechanisms offered with AUTH (RFC 4954), for example <c>["PLAIN", "LOGIN"]</c> on
    /// submission listeners; only those in <see cref="Protocol.SaslDecoder.SupportedMechanisms"/>
    /// are allowed. They are advertised and accepted only once the session is under TLS, so a
    /// password never crosses the network in clear. Empty (the default): the listener does not
    /// speak AUTH at all.
    /// </summary>
    public IReadOnlyList<string> AuthenticationMechanisms { get; init; } = [];
}
