using Moat.Trust.Content;

namespace Moat.Web.Quarantine;

/// <summary>
/// A person releasing a list post the content check held says it is ham; deleting it says spam.
/// Learning it before the message leaves the quarantine is what keeps a newsletter from being held
/// again and again.
/// </summary>
internal static class ReviewLearning
{
    public static Task LearnAsync(WebAdminServices services, QuarantinedMessage message, bool isSpam, CancellationToken cancellationToken) =>
        LearnAsync(services.ListContent, services.Quarantine, message, isSpam, cancellationToken);

    public static async Task LearnAsync(ListContentCheck? listContent, IQuarantine quarantine, QuarantinedMessage message, bool isSpam, CancellationToken cancellationToken)
    {
        if (listContent is null || message.Reason != ListContentCheck.HoldReason)
        {
            return;
        }

        await using var content = quarantine.OpenContent(message.Id);
        if (content is not null)
        {
            await listContent.LearnAsync(content, isSpam, cancellationToken);
        }
    }

    /// <summary>
    /// For a release, whose outcome is known only afterwards: the held content, opened while the
    /// message is still in the quarantine (the open file stays readable once the release moves
    /// it); null when the message is nothing to learn from.
    /// </summary>
    public static Stream? OpenForRelease(ListContentCheck? listContent, IQuarantine quarantine, QuarantinedMessage message) =>
        listContent is not null && message.Reason == ListContentCheck.HoldReason ? quarantine.OpenContent(message.Id) : null;

    /// <summary>Learns a released message as ham from the content <see cref="OpenForRelease"/> opened.</summary>
    public static async Task LearnReleasedAsync(ListContentCheck? listContent, Stream? content, CancellationToken cancellationToken)
    {
        if (content is not null && listContent is not null)
        {
            await listContent.LearnAsync(content, isSpam: false, cancellationToken);
        }
    }
}
