namespace Moat.Audit.Probing;

/// <summary>What STARTTLS (or implicit TLS) showed: protocol, certificate and whether old protocol versions are still accepted.</summary>
public sealed record TlsObservation(
    bool Succeeded,
    string? Protocol,
    string? CertificateSubject,
    IReadOnlyList<string> CertificateNames,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    bool SelfSigned,
    bool ChainTrusted,
    bool NameMatches,
    IReadOnlyList<string> LegacyProtocolsAccepted,
    string? Error)
{
    /// <summary>The certificate's issuer, as the subject is written (RFC 4514 order reversed, as .NET prints it).</summary>
    public string? CertificateIssuer { get; init; }

    /// <summary>The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".</summary>
    public string? CipherSuite { get; init; }

    /// <summary>
    /// Why the chain did not verify against the system's trust store, e.g. "UntrustedRoot" (self-signed
    /// or private CA), "PartialChain" (unknown issuer or missing intermediate), "NotTimeValid";
    /// empty when it verified.
    /// </summary>
    public IReadOnlyList<string> ChainStatus { get; init; } = [];

    /// <summary>The names the certificate was checked against (the listener's host name, the MX names); empty when none was known, so <see cref="NameMatches"/> says nothing.</summary>
    public IReadOnlyList<string> NamesChecked { get; init; } = [];

    /// <summary>
    /// Each legacy protocol tried ("TLSv1.0", "TLSv1.1") and what happened: "accepted", "refused",
    /// or "not testable here" when neither this machine's TLS library nor the raw ClientHello
    /// could get an answer. The transcript says how each was decided.
    /// </summary>
    public IReadOnlyDictionary<string, string> LegacyProtocolTests { get; init; } = new Dictionary<string, string>();
}
