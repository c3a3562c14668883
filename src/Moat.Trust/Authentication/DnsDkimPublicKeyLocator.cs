using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Moat.Trust.Authentication;

/// <summary>
/// Finds DKIM public keys at selector._domainkey.domain (RFC 6376 §3.6.2) through the configured
/// resolver. Checks what MimeKit's parser does not: v=DKIM1 first, the key type, revocation
/// (empty p=), the service type, and exactly one record. One instance per message, so that
/// <see cref="LastKey"/> belongs to the signature being checked.
/// </summary>
internal sealed class DnsDkimPublicKeyLocator(DnsLookup dns) : DkimPublicKeyLocatorBase
{
    /// <summary>The key returned last (MimeKit says only "false" for a key that is too short).</summary>
    public AsymmetricKeyParameter? LastKey { get; private set; }

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        LastKey = null;
        if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyException(DkimResult.PermError, "unsupported key query method");
        }

        var name = selector + "._domainkey." + domain;
        var answer = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            throw new DkimKeyException(DkimResult.TempError, "key lookup failed");
        }

        if (answer.Records.Count == 0)
        {
            throw new DkimKeyException(DkimResult.PermError, "no key for signature");
        }

        if (answer.Records.Count > 1)
        {
            // §3.6.2.2: several records for one selector give undefined results.
            throw new DkimKeyException(DkimResult.PermError, "more than one key record");
        }

        var (type, key) = ReadRecord(answer.Records[0]);
        try
        {
            // MimeKit's parser is strict about spacing; give it the two tags it reads, normalised.
            LastKey = GetPublicKey($"k={type}; p={key}");
            return LastKey;
        }
        catch (Exception ex) when (ex is ParseException or FormatException or IOException or ArgumentException or InvalidCastException)
        {
            throw new DkimKeyException(DkimResult.PermError, "invalid public key");
        }
    }

    /// <summary>RFC 6376 §3.6.1 key record tags.</summary>
    private static (string Type, string Key) ReadRecord(string record)
    {
        var tags = DkimTagList.Parse(record) ?? throw new DkimKeyException(DkimResult.PermError, "malformed key record");
        var version = tags.Get("v");
        if (version is not null && (version != "DKIM1" || tags[0].Key != "v"))
        {
            throw new DkimKeyException(DkimResult.PermError, "key record is not DKIM1");
        }

        var type = tags.Get("k") ?? "rsa";
        if (type is not ("rsa" or "ed25519"))
        {
            throw new DkimKeyException(DkimResult.PermError, "unsupported key type");
        }

        var services = tags.Get("s");
        if (services is not null && !services.Split(':').Any(s => s.Trim() is "*" or "email"))
        {
            throw new DkimKeyException(DkimResult.PermError, "key is not for email");
        }

        var key = DkimTagList.WithoutWhitespace(tags.Get("p") ?? throw new DkimKeyException(DkimResult.PermError, "key record has no p="));
        return key.Length > 0 ? (type, key) : throw new DkimKeyException(DkimResult.PermError, "key revoked");
    }
}
