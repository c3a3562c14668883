using System.Security.Cryptography.X509Certificates;

namespace Moat.Smtp.Server;

/// <summary>Protocol limits and identity shared by every listener.</summary>
public sealed class SmtpServerOptions
{
    /// <summary>The host name used in the greeting and in replies.</summary>
    public required string HostName { get; init; }

    /// <summary>Greeting text after the code; defaults to "&lt;HostName&gt; ESMTP" and never names the product.</summary>
    public string? Greeting { get; init; }

    /// <summary>Certificate for STARTTLS and implicit TLS; null turns TLS off.</summary>
    public X509Certificate2? Certificate { get; init; }

    public IReadOnlyList<SmtpListenerOptions> Listeners { get; init; } = [];

    /// <summary>Longest command line accepted, CRLF included (RFC 5321 §4.5.3.1.4 says at least 512).</summary>
    public int MaxCommandLineLength { get; init; } = 2048;

    /// <summary>Recipients per transaction; the next one gets 452 4.5.3 (RFC 5321 §4.5.3.1.8 says at least 100).</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>Largest message in bytes; larger ones get 552 5.3.4. Advertised with SIZE.</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>Errors (4xx/5xx replies caused by the client) per session before 421 and close.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>Connections open at once across all listeners; more are answered 421 and closed.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Connections open at once from one client IP address; more are answered 421 and closed.</summary>
    public int MaxConnectionsPerClient { get; init; } = 20;

    /// <summary>
    /// Clients in these networks are not held to <see cref="MaxConnectionsPerClient"/> (Postfix's
    /// smtpd_client_event_limit_exceptions): the organisation's own relays legitimately open many
    /// connections. <see cref="MaxConnections"/> still applies.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> ConnectionLimitExemptions { get; init; } = [];

    /// <summary>Waiting for a command (RFC 5321 §4.5.3.2.7: at least 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Waiting for the next block of DATA or BDAT content (RFC 5321 §4.5.3.2.6: 3 minutes).</summary>
    public TimeSpan DataBlockTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Whole TLS handshake.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
