using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Moat.Audit.Probing;

/// <summary>
/// Options for a handshake that accepts any certificate, as an attacker's scanner does, while
/// keeping what the platform's verification thought of it.
/// </summary>
internal sealed class TlsCapture
{
    public X509Certificate2? Certificate { get; private set; }

    public SslPolicyErrors PolicyErrors { get; private set; }

    public IReadOnlyList<string> ChainStatus { get; private set; } = [];

    public SslClientAuthenticationOptions Options(string? serverName, SslProtocols protocols) => new()
    {
        // No SNI for an address: RFC 6066 §3 allows host names only.
        TargetHost = serverName is null || IPAddress.TryParse(serverName, out _) ? string.Empty : serverName,
        EnabledSslProtocols = protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = Remember,
    };

    private bool Remember(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null)
        {
            Certificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }

        PolicyErrors = errors;
        ChainStatus = chain?.ChainStatus
            .Select(s => s.Status)
            .Where(s => s != X509ChainStatusFlags.NoError)
            .Select(s => s.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];
        if (ChainStatus.Count == 0 && (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            ChainStatus = ["ChainErrors"];
        }

        // Every certificate is taken: the audit reports what is wrong with it instead of stopping.
        return true;
    }
}
