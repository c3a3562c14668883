namespace Moat.Audit.Tests.Support;

/// <summary>Variations on a <see cref="PostfixProfile"/>.</summary>
public sealed record PostfixServerOptions
{
    /// <summary>The domain the server receives for; its host name is "mx." + this.</summary>
    public string? Domain { get; init; }

    /// <summary>smtpd_banner instead of the profile's, e.g. "$myhostname ESMTP" to hide the product.</summary>
    public string? Banner { get; init; }

    /// <summary>Hardened only: also accept TLS 1.0 and 1.1 (smtpd_tls_protocols = >=TLSv1, OpenSSL security level 0).</summary>
    public bool LegacyTls { get; init; }
}
