using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moat.Storage.AccessLog;
using Moat.Web.Pages.Public;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.Quarantine;

/// <summary>
/// The page a release link from a digest opens: no login, because the signed link is the
/// permission. Opening it (GET) only shows what would be released, since mail scanners fetch
/// links by themselves; the button (POST) releases.
/// </summary>
internal static class ReleaseLinkEndpoints
{
    public static void Map(IEndpointRouteBuilder app, WebAdminServices services)
    {
        app.MapGet("/release/{token}", async (string token, HttpContext context) =>
        {
            var (message, problem) = await FindAsync(services, token, context.RequestAborted);
            return problem ?? Page(token, message!, result: null);
        });

        app.MapPost("/release/{token}", async (string token, HttpContext context) =>
        {
            var (message, problem) = await FindAsync(services, token, context.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var recipient = services.ReleaseLinks.Verify(token)!.Value.Recipient;
            await using var learnFrom = ReviewLearning.OpenForRelease(services.ListContent, services.Quarantine, message!);
            var result = await services.Quarantine.ReleaseAsync(message!.Id, check: true, forRecipient: recipient, context.RequestAborted);
            if (result == ReleaseResult.NotHeld)
            {
                return Gone();
            }

            if (result == ReleaseResult.Released)
            {
                await ReviewLearning.LearnReleasedAsync(services.ListContent, learnFrom, context.RequestAborted);
                await services.AccessLog.AppendAsync(
                    new AccessLogRecord(recipient, AccessActions.Release, message.Id, message.DataSubjects, Detail: "one-click link from a digest"),
                    context.RequestAborted);
            }

            return Page(token, message, result);
        })
        .AddEndpointFilter<CsrfFilter>();
    }

    private static async Task<(QuarantinedMessage? Message, IResult? Problem)> FindAsync(WebAdminServices services, string token, CancellationToken cancellationToken)
    {
        if (services.ReleaseLinks.Verify(token) is not { } link)
        {
            return (null, PageResult.Of<ReleasePage>(new Dictionary<string, object?> { [nameof(ReleasePage.Invalid)] = true }, StatusCodes.Status404NotFound));
        }

        var message = await services.Quarantine.FindAsync(link.MessageId, cancellationToken);

        // The link names its recipient; it must not release a message that recipient is not on.
        return message is null || !message.IsAddressedTo(link.Recipient) ? (null, Gone()) : (message, null);
    }

    private static IResult Gone() =>
        PageResult.Of<ReleasePage>(new Dictionary<string, object?> { [nameof(ReleasePage.Gone)] = true }, StatusCodes.Status410Gone);

    private static IResult Page(string token, QuarantinedMessage message, ReleaseResult? result) =>
        PageResult.Of<ReleasePage>(new Dictionary<string, object?>
        {
            [nameof(ReleasePage.Token)] = token,
            [nameof(ReleasePage.Message)] = message,
            [nameof(ReleasePage.Result)] = result,
        });
}
