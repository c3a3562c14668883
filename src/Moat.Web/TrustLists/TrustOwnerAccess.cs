using System.Security.Claims;
using Moat.Storage;
using Moat.Storage.Trust;
using Moat.Web.Security;

namespace Moat.Web.TrustLists;

/// <summary>Who may work on which list: everyone on their own, administrators on every list.</summary>
internal static class TrustOwnerAccess
{
    /// <summary>
    /// The list <paramref name="user"/> asked for with <c>owner=</c>, or their own when
    /// <paramref name="requested"/> is empty. A user naming any other list is refused whatever
    /// they typed, so the answer never tells whether it was a valid address.
    /// </summary>
    public static TrustOwnerChoice Resolve(ClaimsPrincipal user, string? requested)
    {
        ArgumentNullException.ThrowIfNull(user);
        var own = OwnList(user);
        if (string.IsNullOrWhiteSpace(requested))
        {
            return own is null ? TrustOwnerChoice.Refused() : TrustOwnerChoice.Allowed(own);
        }

        var valid = TrustNames.TryNormaliseOwner(requested, out var owner, out var problem);
        if (!user.IsAdministrator())
        {
            return valid && own is not null && owner == own ? TrustOwnerChoice.Allowed(own) : TrustOwnerChoice.Refused();
        }

        return valid ? TrustOwnerChoice.Allowed(owner!) : TrustOwnerChoice.Invalid(problem!);
    }

    /// <summary>The user's own list: their account's address in the form lists are keyed by; null when the name is no address.</summary>
    public static string? OwnList(ClaimsPrincipal user) =>
        TrustNames.TryNormaliseAddress(user.Name(), out var address, out _) ? address : null;

    /// <summary>"your list", "the organisation's list" or "alice@example.org's list", for the page and its messages.</summary>
    public static string Describe(string owner, ClaimsPrincipal viewer) =>
        owner == TrustEntry.Organisation ? "the organisation's list"
        : owner == OwnList(viewer) ? "your list"
        : $"{owner}'s list";

    /// <summary>As <see cref="Describe"/>, but in the third person, for the access log read by others.</summary>
    public static string DescribeForLog(string owner) =>
        owner == TrustEntry.Organisation ? "the organisation's list" : $"{owner}'s list";
}
