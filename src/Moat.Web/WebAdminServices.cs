using Moat.Accounts.Accounts;
using Moat.Storage.AccessLog;
using Moat.Storage.Trust;
using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Web.Dashboard;
using Moat.Web.Privacy;
using Moat.Web.Quarantine;

namespace Moat.Web;

/// <summary>What the pages work with; the host builds each from the running gateway.</summary>
/// <param name="Challenges">Null when the trust filter is off (no challenge page then).</param>
/// <param name="ChallengeStore">The pending challenges the trust page lists; null when the trust filter is off.</param>
/// <param name="ChallengeHoldTime">How long a challenge can be answered (trust.challenge.holdTime).</param>
/// <param name="PrivacyNotice">Built on every request, so the page always states the live configuration.</param>
/// <param name="ListContent">Learns from releases and deletions of list posts it held; null when the trust filter or the check is off.</param>
public sealed record WebAdminServices(
    AccountService Accounts,
    IAccessLog AccessLog,
    ITrustStore Trust,
    IQuarantine Quarantine,
    ReleaseLinks ReleaseLinks,
    IDashboardSource Dashboard,
    ChallengeService? Challenges,
    IChallengeStore? ChallengeStore,
    TimeSpan ChallengeHoldTime,
    Func<PrivacyNotice> PrivacyNotice,
    TimeProvider Clock,
    ListContentCheck? ListContent = null);
