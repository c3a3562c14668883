namespace Moat.Trust.Authentication;

/// <summary>
/// The DMARC evaluation of one RFC 5322.From domain. <paramref name="PolicyDomain"/> is where the
/// applied DMARC record was found (the From domain, its organisational domain, or a public suffix
/// domain); null when none applies. <paramref name="Policy"/> is what the owner asks for failing
/// mail from <paramref name="FromDomain"/>: p= for the domain itself, sp= (else p=) for a
/// subdomain, one step milder when pct is below 100 or t=y (see <see cref="DmarcEvaluator"/>).
/// The alignment flags are also computed (in relaxed mode) when no DMARC record exists.
/// </summary>
public sealed record DmarcOutcome(
    DmarcResult Result,
    string FromDomain,
    string? PolicyDomain,
    DmarcPolicy Policy,
    bool SpfAligned,
    bool DkimAligned);
