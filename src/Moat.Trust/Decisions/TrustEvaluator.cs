using Moat.Trust.Lists;

namespace Moat.Trust.Decisions;

/// <summary>
/// The allow-list half of the trust decision, pure and allocation-light so it can run for every
/// message: an entry counts only when the message is authenticated and aligned for the address it
/// matched (DMARC pass, or SPF/DKIM pass for the From domain). A spammer who forges a trusted
/// address therefore gains nothing.
/// </summary>
public static class TrustEvaluator
{
    /// <param name="identity">The address the recipient sees: the From address, else the envelope sender.</param>
    /// <param name="owners">The recipients, whose own lists count besides the organisation's.</param>
    public static TrustDecision Decide(TrustListSnapshot lists, string identity, IEnumerable<string> owners, bool authenticatedAndAligned, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (string.IsNullOrEmpty(identity))
        {
            return new TrustDecision(TrustLevel.Unknown, null, "no sender address to look up");
        }

        var match = lists.Find(identity, owners, now);
        if (match is null)
        {
            return new TrustDecision(TrustLevel.Unknown, null, $"{identity} is on no allow-list");
        }

        return authenticatedAndAligned
            ? new TrustDecision(TrustLevel.Trusted, match, $"{match}; authenticated and aligned")
            : new TrustDecision(TrustLevel.Unknown, match, $"{match}, but the message is not authenticated for it: the entry does not count");
    }
}
