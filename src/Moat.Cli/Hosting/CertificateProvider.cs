using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Moat.Cli.Configuration;

namespace Moat.Cli.Hosting;

/// <summary>
/// Finds the TLS certificate: the configured one, or a self-signed one generated on first run and
/// kept in the data folder, so that STARTTLS works out of the box (opportunistic TLS between
/// MTAs does not check certificates, so even a self-signed one stops passive eavesdropping).
/// </summary>
internal static class CertificateProvider
{
    public static X509Certificate2? Load(MoatOptions options, ILogger logger)
    {
        var tls = options.Tls;
        if (!tls.Enabled)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(tls.Certificate))
        {
            return tls.Key is null
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.Certificate, tls.Password)
                : X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key);
        }

        var path = Path.Combine(options.DataDirectory, "tls", "self-signed.pfx");
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }

        logger.LogWarning(
            "No TLS certificate is configured: generated a self-signed one for {HostName} in {Path}. Set tls.certificate to use your own.",
            options.HostName,
            path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pfx = CreateSelfSigned(options.HostName!).Export(X509ContentType.Pkcs12);
        File.WriteAllBytes(path, pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }

    public static X509Certificate2 CreateSelfSigned(string hostName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
