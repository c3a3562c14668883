using System.Security.Claims;
using Moat.Web.Security;

namespace Moat.Web.Quarantine;

/// <summary>
/// Who may do what with held mail. Users see and release their own; administrators see all, but
/// opening someone else's message content needs a stated reason (and lands in the access log).
/// Mail held by the antivirus is released by administrators only: a user cannot judge a virus
/// verdict from the subject line.
/// </summary>
internal static class QuarantinePolicy
{
    public static bool CanSee(ClaimsPrincipal user, QuarantinedMessage message) =>
        user.IsAdministrator() || IsOwner(user, message);

    public static bool IsOwner(ClaimsPrincipal user, QuarantinedMessage message) =>
        message.IsAddressedTo(user.Name());

    /// <summary>Opening content that is not one's own needs a reason first.</summary>
    public static bool NeedsReason(ClaimsPrincipal user, QuarantinedMessage message) =>
        !IsOwner(user, message);

    public static bool CanRelease(ClaimsPrincipal user, QuarantinedMessage message) =>
        user.IsAdministrator() || (IsOwner(user, message) && !IsAntivirusVerdict(message.Reason));

    /// <summary>A user may delete only what is theirs alone; other recipients may still want it.</summary>
    public static bool CanDelete(ClaimsPrincipal user, QuarantinedMessage message) =>
        user.IsAdministrator() || (IsOwner(user, message) && message.Recipients.Count == 1);

    public static bool IsAntivirusVerdict(string reason) =>
        reason.StartsWith("virus:", StringComparison.OrdinalIgnoreCase)
        || reason.StartsWith("content could not be fully checked", StringComparison.OrdinalIgnoreCase);
}
