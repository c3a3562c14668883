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
}
