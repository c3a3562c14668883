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
            return problem ?? Page(token, message!, released: false);
        });

        app.MapPost("/release/{token}", async (string token, HttpContext context) =>
        {
            var (message, problem) = await FindAsync(services, token, context.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var recipient = services.ReleaseLinks.Verify(token)!.Value.Recipient;
            await ReviewLearning.LearnAsync(services, message!, isSpam: false, context.RequestAborted);
            if (!services.Quarantine.Release(message!.Id))
            {
                return Gone();
            }

            await services.AccessLog.AppendAsync(
                new AccessLogRecord(recipient, AccessActions.Release, message.Id, message.DataSubjects, Detail: "one-click link from a digest"),
                context.RequestAborted);
            return Page(token, message, released: true);
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

    private static IResult Page(string token, QuarantinedMessage message, bool released) =>
        PageResult.Of<ReleasePage>(new Dictionary<string, object?>
        {
            [nameof(ReleasePage.Token)] = token,
            [nameof(ReleasePage.Message)] = message,
            [nameof(ReleasePage.Released)] = released,
        });
}
