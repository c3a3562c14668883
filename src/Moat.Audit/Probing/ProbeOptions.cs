namespace Moat.Audit.Probing;

/// <summary>How <see cref="SmtpProber"/> talks to one listener.</summary>
public sealed record ProbeOptions
{
    /// <summary>The name sent with EHLO/HELO. Under .invalid so that it can never be taken for a real client.</summary>
    public string HeloName { get; init; } = "audit.invalid";

    /// <summary>The domains under audit: the first is spoofed as a sender and used in the address tricks that route through "our" domain.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>The MX host names of the audited domains; a certificate naming any of them matches.</summary>
    public IReadOnlyList<string> MxHostNames { get; init; } = [];

    /// <summary>
    /// The "someone else's" domain of the relay probes. It must be a reserved name that cannot
    /// receive mail (RFC 2606, RFC 6761), so a server that would relay still could not deliver.
    /// </summary>
    public string ExternalDomain { get; init; } = "relay-test.invalid";

    /// <summary>Names asked about with VRFY and EXPN; a random name is added when <see cref="ProbeRandomUser"/> is set.</summary>
    public IReadOnlyList<string> ProbeUsers { get; init; } = ["postmaster", "root", "admin"];

    /// <summary>Also ask about a made-up name, to tell a server that says yes to anything from one that confirms real users.</summary>
    public bool ProbeRandomUser { get; init; } = true;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait for one reply (all its lines), the greeting included.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole probe of one listener, all its connections together.</summary>
    public TimeSpan ListenerTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public bool RunRelayProbes { get; init; } = true;

    /// <summary>Try handshakes limited to TLS 1.0 and TLS 1.1 when the listener speaks TLS.</summary>
    public bool RunLegacyTlsProbes { get; init; } = true;

    /// <summary>Ports where TLS starts at connect (RFC 8314 submissions) instead of after STARTTLS.</summary>
    public IReadOnlyCollection<int> ImplicitTlsPorts { get; init; } = [465];

    /// <summary>RFC 2606 §2 and RFC 6761: top-level names that never resolve to a mail server.</summary>
    private static readonly string[] ReservedTopLevelDomains = ["invalid", "test", "example", "localhost"];

    /// <summary>RFC 2606 §3: second-level names reserved for documentation.</summary>
    private static readonly string[] ReservedSecondLevelDomains = ["example.com", "example.net", "example.org"];

    /// <summary>Throws when an option would let a probe reach someone else's mail system or wait forever.</summary>
    public void Validate()
    {
        var external = ExternalDomain.TrimEnd('.').ToLowerInvariant();
        var reserved = ReservedTopLevelDomains.Concat(ReservedSecondLevelDomains)
            .Any(d => external == d || external.EndsWith("." + d, StringComparison.Ordinal));
        if (!reserved)
        {
            throw new ArgumentException(
                $"ExternalDomain '{ExternalDomain}' is not a reserved name (.invalid, .test, .example, example.com…); a relay probe must never name a deliverable domain.",
                nameof(ExternalDomain));
        }

        if (string.IsNullOrWhiteSpace(HeloName) || HeloName.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("HeloName must be one word.", nameof(HeloName));
        }

        foreach (var (name, value) in new[] { ("ConnectTimeout", ConnectTimeout), ("ReplyTimeout", ReplyTimeout), ("ListenerTimeout", ListenerTimeout) })
        {
            if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(name, value, "timeouts must be positive and finite");
            }
        }

        foreach (var user in ProbeUsers)
        {
            if (string.IsNullOrWhiteSpace(user) || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new ArgumentException($"probe user '{user}' must be one word", nameof(ProbeUsers));
            }
        }
    }
}
