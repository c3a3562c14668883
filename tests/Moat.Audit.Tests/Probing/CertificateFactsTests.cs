using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing;

public sealed class CertificateFactsTests
{
    [Theory]
    [InlineData("mx.example.org", "mx.example.org", true)]
    [InlineData("MX.Example.ORG.", "mx.example.org", true)]
    [InlineData("*.example.org", "mx.example.org", true)]
    [InlineData("*.example.org", "a.mx.example.org", false)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.org", "example.org", false)]
    [InlineData("mx.example.org", "mx2.example.org", false)]
    public void Names_match_as_rfc_6125_says(string certificateName, string host, bool matches)
    {
        Assert.Equal(matches, CertificateFacts.NameMatches([certificateName], [host]));
    }

    [Fact]
    public void Any_candidate_may_match_and_none_matches_nothing()
    {
        Assert.True(CertificateFacts.NameMatches(["mx2.example.org"], ["mx1.example.org", "mx2.example.org"]));
        Assert.False(CertificateFacts.NameMatches(["mx.example.org"], []));
    }

    [Fact]
    public void Subject_alternative_names_come_first_and_the_common_name_only_without_them()
    {
        using var withSan = Create("CN=ignored.example.org", san: ["mx.example.org", "*.example.org"]);
        using var withoutSan = Create("CN=mx.example.org");

        Assert.Equal(["mx.example.org", "*.example.org"], CertificateFacts.Names(withSan));
        Assert.Equal(["mx.example.org"], CertificateFacts.Names(withoutSan));
    }

    [Fact]
    public void A_self_signed_certificate_is_self_signed_even_when_expired()
    {
        using var current = Create("CN=mx.example.org");
        using var expired = Create("CN=mx.example.org", notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        Assert.True(CertificateFacts.IsSelfSigned(current));
        Assert.True(CertificateFacts.IsSelfSigned(expired));
    }

    [Fact]
    public void A_certificate_signed_by_a_ca_is_not_self_signed_even_with_the_same_name()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=mx.example.org", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(10));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=mx.example.org", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5), [1, 2, 3, 4]);

        Assert.True(CertificateFacts.IsSelfSigned(ca));
        Assert.False(CertificateFacts.IsSelfSigned(leaf));
    }

    [Fact]
    public void Ecdsa_signatures_are_verified_too()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=mx.example.org", key, HashAlgorithmName.SHA384)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=mx.example.org", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.True(CertificateFacts.IsSelfSigned(certificate));
        Assert.False(CertificateFacts.SignedBy(certificate, other));
    }

    private static X509Certificate2 Create(string subject, IReadOnlyList<string>? san = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (san is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            foreach (var name in san)
            {
                builder.AddDnsName(name);
            }

            request.CertificateExtensions.Add(builder.Build());
        }

        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(1);
        return request.CreateSelfSigned(end.AddDays(-3), end);
    }
}
