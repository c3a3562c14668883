using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moat.Audit.Probing;

/// <summary>The facts about a server certificate the audit reports: its names, whether it signed itself, whether it names the host.</summary>
internal static class CertificateFacts
{
    /// <summary>The DNS names of the subject alternative names; the common name only when there are none (RFC 6125 §6.4.4).</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                foreach (var address in san.EnumerateIPAddresses())
                {
                    names.Add(address.ToString());
                }
            }
        }

        if (names.Count == 0)
        {
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.IsNullOrEmpty(commonName))
            {
                names.Add(commonName);
            }
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// Issuer and subject are the same name and the certificate's own key verifies its signature.
    /// A certificate of a private CA has a different issuer (or, with the CA's name, a signature
    /// its own key does not verify): that shows as an untrusted chain instead.
    /// </summary>
    public static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        return SignedBy(certificate, certificate) ?? ChainEndsInItself(certificate);
    }

    /// <summary>Whether <paramref name="issuer"/>'s public key verifies the signature; null for an algorithm this code does not know.</summary>
    internal static bool? SignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        try
        {
            var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
            var signed = outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            switch (algorithm)
            {
                case "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13":
                {
                    using var rsa = issuer.GetRSAPublicKey();
                    return rsa?.VerifyData(signed.Span, signature, HashFor(algorithm), RSASignaturePadding.Pkcs1);
                }

                case "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4":
                {
                    using var ecdsa = issuer.GetECDsaPublicKey();
                    return ecdsa?.VerifyData(signed.Span, signature, HashFor(algorithm), DSASignatureFormat.Rfc3279DerSequence);
                }

                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    private static HashAlgorithmName HashFor(string algorithm) => algorithm switch
    {
        "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>For other algorithms (RSA-PSS, EdDSA): a chain trusting only the certificate itself ends in it.</summary>
    private static bool ChainEndsInItself(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Dates and usages are reported on their own; here only the signature matters.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid
            | X509VerificationFlags.IgnoreWrongUsage
            | X509VerificationFlags.IgnoreInvalidBasicConstraints
            | X509VerificationFlags.IgnoreInvalidPolicy;
        return chain.Build(certificate) && chain.ChainElements.Count == 1;
    }

    /// <summary>True when any certificate name covers any candidate; "*.example.org" covers exactly one more label (RFC 6125 §6.4.3).</summary>
    public static bool NameMatches(IReadOnlyList<string> certificateNames, IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            var host = Normalize(candidate);
            if (host.Length == 0)
            {
                continue;
            }

            foreach (var name in certificateNames)
            {
                if (Covers(Normalize(name), host))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Covers(string pattern, string host)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return pattern == host;
        }

        var firstDot = host.IndexOf('.');
        return firstDot > 0 && host[(firstDot + 1)..] == pattern[2..] && pattern[2..].Contains('.');
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
