using Moat.Trust.Messages;

namespace Moat.Trust.Challenges;

/// <summary>
/// Decides whether an unknown sender may be challenged. A challenge goes only where it cannot be
/// backscatter or start a loop: to a sender authenticated for their envelope domain (SPF or DKIM
/// pass), never to the null sender, role addresses of mail systems, lists, automatic mail or
/// another challenge. A sender who may not be challenged is quarantined instead, so nothing is lost.
/// </summary>
public static class ChallengeEligibility
{
    private static readonly HashSet<string> RoleLocalParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "mailer-daemon", "postmaster", "abuse", "noreply", "no-reply", "donotreply", "do-not-reply",
        "bounce", "bounces", "listserv", "majordomo", "root", "nobody",
    };

    /// <param name="envelopeDomainAuthenticated">SPF passed for the envelope domain, or a DKIM signature of that domain verified.</param>
    /// <returns>Null when a challenge may be sent, otherwise why not (for the evidence).</returns>
    public static string? WhyNot(string envelopeSender, MessageTraits traits, bool envelopeDomainAuthenticated)
    {
        ArgumentNullException.ThrowIfNull(traits);
        if (string.IsNullOrEmpty(envelopeSender))
        {
            return "null sender";
        }

        var at = envelopeSender.LastIndexOf('@');
        var local = at < 0 ? envelopeSender : envelopeSender[..at];
        if (RoleLocalParts.Contains(local) || RoleLocalParts.Contains(local.Split('+', '-')[0]))
        {
            return $"system or role address '{local}'";
        }

        if (traits.IsChallenge)
        {
            return "the message is itself a challenge";
        }

        if (traits.IsAutomatic)
        {
            return "automatic mail (Auto-Submitted, auto-reply or delivery report)";
        }

        if (traits.IsListTraffic)
        {
            return "list or bulk mail (List-Id or Precedence)";
        }

        return envelopeDomainAuthenticated ? null : "the envelope sender is not authenticated for its domain (no SPF or DKIM pass)";
    }
}
