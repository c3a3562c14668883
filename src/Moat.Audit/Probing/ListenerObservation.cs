using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;

namespace Moat.Audit.Probing;

/// <summary>Everything one SMTP listener showed to the audit's probes (captured replies are exact lines).</summary>
public sealed record ListenerObservation
{
    public required ListenerEndpoint Endpoint { get; init; }

    /// <summary>The greeting, all lines; empty when the port did not speak SMTP.</summary>
    public IReadOnlyList<string> Greeting { get; init; } = [];

    public bool SpeaksSmtp => Greeting.Count > 0 && Greeting[0].StartsWith("220", StringComparison.Ordinal);

    /// <summary>The EHLO reply lines before TLS (or on implicit TLS, after the handshake).</summary>
    public IReadOnlyList<string> Ehlo { get; init; } = [];

    /// <summary>The EHLO keywords in the order offered (first word of each line after the first).</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The EHLO reply lines after STARTTLS, when it worked.</summary>
    public IReadOnlyList<string> EhloAfterTls { get; init; } = [];

    public bool ImplicitTls { get; init; }

    public bool StartTlsOffered { get; init; }

    public TlsObservation? Tls { get; init; }

    /// <summary>SASL mechanisms offered before any TLS (a password would cross the network in clear).</summary>
    public IReadOnlyList<string> AuthBeforeTls { get; init; } = [];

    /// <summary>The replies to VRFY and EXPN of probe names, keyed by the command sent.</summary>
    public IReadOnlyDictionary<string, string> UserEnumeration { get; init; } = new Dictionary<string, string>();

    /// <summary>Other replies that tell software apart (HELP, an unknown command, a bad MAIL FROM, QUIT), keyed by what was sent.</summary>
    public IReadOnlyDictionary<string, string> Replies { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<RelayProbeResult> RelayProbes { get; init; } = [];

    public Fingerprint Fingerprint { get; init; } = Fingerprint.Unknown;

    /// <summary>Why probing stopped early (connection closed, timeout), or null.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Everything that went over the wire, all connections in order: "C: " lines the audit sent,
    /// "S: " the exact lines the server answered, "-- " notes (connections, TLS handshakes).
    /// </summary>
    public IReadOnlyList<string> Transcript { get; init; } = [];
}
