using Microsoft.AspNetCore.Http;
using Moat.Storage.Trust;
using Moat.Web.Pages;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.TrustLists;

/// <summary>Renders /trust for one list; shared by the GET and by forms that failed validation.</summary>
/// <param name="challenges">Null when the trust filter is off: then there are no pending challenges to show.</param>
/// <param name="challengeHoldTime">How long a challenge can be answered; a record only keeps when it was sent.</param>
internal sealed class TrustPageRenderer(WebAdminServices services, IChallengeStore? challenges, TimeSpan challengeHoldTime)
{
    /// <summary>A page of pending challenges; a flood of strangers must not make /trust unusable.</summary>
    public const int MaxPendingChallengesShown = 200;

    public async Task<IResult> RenderAsync(
        HttpContext context,
        string owner,
        string? status = null,
        string? error = null,
        int statusCode = StatusCodes.Status200OK,
        string? pattern = null,
        string? expiresInDays = null)
    {
        var user = context.User;
        var cancellationToken = context.RequestAborted;
        var administrator = user.IsAdministrator();
        var now = services.Clock.GetUtcNow();
        var entries = await services.Trust.ListAsync(owner, cancellationToken);

        IReadOnlyList<string> knownOwners = [];
        IReadOnlyList<PendingChallenge>? pending = null;
        var morePending = 0;
        if (administrator)
        {
            knownOwners = (await services.Accounts.ListAsync(cancellationToken)).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
            if (challenges is not null)
            {
                // Expired challenges wait for the hourly clean-up but can no longer be answered.
                var open = (await challenges.ListPendingAsync(cancellationToken))
                    .Select(c => new PendingChallenge(c.Sender, c.Recipient, c.Sent, c.Sent + challengeHoldTime))
                    .Where(c => c.Expires > now)
                    .ToList();
                pending = open.Take(MaxPendingChallengesShown).ToList();
                morePending = open.Count - pending.Count;
            }
        }

        var model = new TrustPageModel(
            owner,
            TrustOwnerAccess.Describe(owner, user),
            owner == TrustOwnerAccess.OwnList(user) ? string.Empty : owner,
            administrator,
            entries,
            knownOwners,
            pending,
            morePending,
            now,
            pattern,
            expiresInDays);
        return PageResult.Of<TrustPage>(
            new Dictionary<string, object?>
            {
                [nameof(TrustPage.Model)] = model,
                [nameof(TrustPage.Status)] = status,
                [nameof(TrustPage.Error)] = error,
            },
            statusCode);
    }
}
