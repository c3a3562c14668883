using Moat.Pipeline;

namespace Moat.Trust.Authentication;

/// <summary>
/// SPF, DKIM and DMARC results for one received message, with the RFC 5322.From address and
/// domain when the message has exactly one From address.
/// </summary>
public sealed record SenderAuthentication(
    SpfOutcome Spf,
    IReadOnlyList<DkimOutcome> Dkim,
    DmarcOutcome? Dmarc,
    string? FromAddress,
    string? FromDomain)
{
    /// <summary>The identity SPF checked: MAIL FROM, or HELO for the null sender.</summary>
    public SpfIdentity SpfIdentity { get; init; } = SpfIdentity.MailFrom;

    /// <summary>
    /// DMARC passed; or, when no DMARC record applies, SPF or a DKIM signature passed for a domain
    /// aligned (relaxed) with the From domain. False without a single From domain.
    /// </summary>
    public bool IsAuthenticatedAndAligned => Dmarc switch
    {
        { Result: DmarcResult.Pass } => true,
        { Result: DmarcResult.None } none => FromDomain is not null && (none.SpfAligned || none.DkimAligned),
        _ => false,
    };

    /// <summary>
    /// SPF passed for <paramref name="envelopeDomain"/>, or a DKIM signature of exactly that domain
    /// passed: proof that the envelope sender's domain sent this message, so a reply to it (a
    /// challenge) does not hit an innocent third party.
    /// </summary>
    public bool IsEnvelopeDomainAuthenticated(string envelopeDomain)
    {
        if (!DomainName.TryNormalize(envelopeDomain, out var domain))
        {
            return false;
        }

        return (Spf.Result == SpfResult.Pass && SameDomain(Spf.Domain, domain))
            || Dkim.Any(d => d.Result == DkimResult.Pass && d.Domain is not null && SameDomain(d.Domain, domain));
    }

    private static bool SameDomain(string candidate, string canonical) =>
        DomainName.TryNormalize(candidate, out var normalized) && normalized == canonical;
}
