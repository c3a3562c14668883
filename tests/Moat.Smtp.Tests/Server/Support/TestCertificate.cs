using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>A self-signed server certificate for mx.test, made once per test run.</summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Lazy = new(Create);

    public static X509Certificate2 Instance => Lazy.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={TestServer.HostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(TestServer.HostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // A PFX round trip gives a key the platform TLS stack can use on every OS.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
