namespace Moat.Audit.Findings;

/// <summary>
/// The stable <see cref="Finding.Id"/> values. Tools match on these, so they never change once
/// published; new kinds of finding get new ids.
/// </summary>
public static class FindingIds
{
    public const string OpenRelay = "open-relay";
    public const string VersionLeak = "version-leak";
    public const string ProductLeak = "product-leak";
    public const string UserEnumeration = "user-enumeration";
    public const string AuthBeforeTls = "auth-before-tls";
    public const string StartTlsMissing = "starttls-missing";
    public const string StartTlsBroken = "starttls-broken";
    public const string CertificateExpired = "certificate-expired";
    public const string CertificateExpiring = "certificate-expiring";
    public const string CertificateUntrusted = "certificate-untrusted";
    public const string CertificateWrongName = "certificate-wrong-name";
    public const string LegacyTls = "legacy-tls";
    public const string NotInMx = "not-in-mx";
    public const string KnownVulnerability = "cve";
    public const string ProductIdentified = "product-identified";
    public const string ProbeIncomplete = "probe-incomplete";
    public const string NoMx = "no-mx";
    public const string NoSpf = "no-spf";
    public const string WeakSpf = "weak-spf";
    public const string NoDmarc = "no-dmarc";
    public const string DmarcNone = "dmarc-none";
    public const string NoMtaSts = "no-mta-sts";
    public const string NoTlsRpt = "no-tls-rpt";
    public const string DnsError = "dns-error";
}
