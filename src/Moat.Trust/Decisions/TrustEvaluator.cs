using Moat.Trust.Lists;

namespace Moat.Trust.Decisions;

/// <summary>
/// The allow-list half of the trust decision, pure and allocation-light so it can run for every
/// message: an entry counts only when the message is authenticated for the address it matched.
/// A spammer who forges a trusted address therefore gains nothing.
/// </summary>
public static class TrustEvaluator
{
    /// <param name="identity">The address the recipient sees: the From address, else the envelope sender.</param>
    /// <param name="identityAligned">DMARC pass, or SPF/DKIM pass for a domain aligned with the From domain.</param>
    /// <param name="envelopeSender">The MAIL FROM address ("" for the null sender).</param>
    /// <param name="envelopeAuthenticated">SPF passed for the envelope domain, or a DKIM signature of that domain verified.</param>
    /// <param name="owners">The recipients, whose own lists count besides the organisation's.</param>
    /// <param name="listAddress">The posting address of the mailing list the message came through (List-Post), if any.</param>
    public static TrustDecision Decide(
        TrustListSnapshot lists,
        string identity,
        bool identityAligned,
        string envelopeSender,
        bool envelopeAuthenticated,
        IEnumerable<string> owners,
        DateTimeOffset now,
        string? listAddress = null)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(owners);
        var ownerList = owners as IReadOnlyCollection<string> ?? owners.ToArray();
        var match = string.IsNullOrEmpty(identity) ? null : lists.Find(identity, ownerList, now);
        if (match is not null && identityAligned)
        {
            return new TrustDecision(TrustLevel.Trusted, match, $"{match}; authenticated and aligned");
        }

        // A challenge is answered by the envelope sender, so that is the address it trusts. It
        // counts when authenticated, and only for mail whose From is in the same domain: a
        // confirmed sender must not be able to put somebody else's address in From.
        if (envelopeAuthenticated && SameDomain(envelopeSender, identity)
            && !envelopeSender.Equals(identity, StringComparison.OrdinalIgnoreCase)
            && lists.Find(envelopeSender, ownerList, now) is { } envelopeMatch)
        {
            return new TrustDecision(TrustLevel.Trusted, envelopeMatch, $"envelope sender {envelopeMatch}; authenticated for its domain, and From is in that domain");
        }

        // Most lists leave the poster's From alone and send from a bounce address of their own
        // domain. An entry for the list's address counts when that envelope is authenticated, so
        // a List-Post header anyone can write gains a spammer nothing.
        if (listAddress is not null && envelopeAuthenticated && RelatedDomains(envelopeSender, listAddress)
            && lists.Find(listAddress, ownerList, now) is { } listMatch)
        {
            return new TrustDecision(TrustLevel.Trusted, listMatch, $"mailing list {listMatch}; its envelope sender {envelopeSender} is authenticated");
        }

        if (match is not null)
        {
            return new TrustDecision(TrustLevel.Unknown, match, $"{match}, but the message is not authenticated for it: the entry does not count");
        }

        return new TrustDecision(TrustLevel.Unknown, null, string.IsNullOrEmpty(identity) ? "no sender address to look up" : $"{identity} is on no allow-list");
    }

    /// <summary>The same domain, or one a subdomain of the other (lists.example.org and bounces at example.org).</summary>
    private static bool RelatedDomains(string envelopeSender, string listAddress)
    {
        var envelopeAt = envelopeSender.LastIndexOf('@');
        var listAt = listAddress.LastIndexOf('@');
        if (envelopeAt <= 0 || listAt <= 0)
        {
            return false;
        }

        var envelope = envelopeSender.AsSpan(envelopeAt + 1).TrimEnd('.');
        var list = listAddress.AsSpan(listAt + 1).TrimEnd('.');
        return IsSameOrSubdomain(envelope, list) || IsSameOrSubdomain(list, envelope);
    }

    private static bool IsSameOrSubdomain(ReadOnlySpan<char> name, ReadOnlySpan<char> parent) =>
        name.Equals(parent, StringComparison.OrdinalIgnoreCase)
        || (name.Length > parent.Length + 1 && name[^(parent.Length + 1)] == '.' && name[^parent.Length..].Equals(parent, StringComparison.OrdinalIgnoreCase));

    private static bool SameDomain(string envelopeSender, string identity)
    {
        var envelopeAt = envelopeSender.LastIndexOf('@');
        var identityAt = identity.LastIndexOf('@');
        return envelopeAt > 0 && identityAt > 0
            && envelopeSender.AsSpan(envelopeAt + 1).TrimEnd('.').Equals(identity.AsSpan(identityAt + 1).TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }
}
