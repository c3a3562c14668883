using Moat.Storage.Trust;

namespace Moat.Web.TrustLists;

/// <summary>Everything /trust shows for one list.</summary>
/// <param name="Owner">The list's owner in canonical form (<see cref="TrustEntry.Organisation"/> for everyone's list).</param>
/// <param name="OwnerDescription">"your list", "the organisation's list", "alice@example.org's list".</param>
/// <param name="OwnerQuery">The <c>owner</c> form value to send back; empty for the viewer's own list.</param>
/// <param name="KnownOwners">Accounts an administrator can pick from; empty for users.</param>
/// <param name="PendingChallenges">Null when the viewer is no administrator or challenges are off.</param>
/// <param name="MorePendingChallenges">How many more are pending than are listed.</param>
/// <param name="Pattern">The add form's pattern, kept after a mistake so it can be corrected.</param>
/// <param name="ExpiresInDays">The add form's expiry, kept likewise.</param>
public sealed record TrustPageModel(
    string Owner,
    string OwnerDescription,
    string OwnerQuery,
    bool IsAdministrator,
    IReadOnlyList<TrustEntry> Entries,
    IReadOnlyList<string> KnownOwners,
    IReadOnlyList<PendingChallenge>? PendingChallenges,
    int MorePendingChallenges,
    DateTimeOffset Now,
    string? Pattern = null,
    string? ExpiresInDays = null)
{
    public bool IsOrganisation => Owner == TrustEntry.Organisation;
}
