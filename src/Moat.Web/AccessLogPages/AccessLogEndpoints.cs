using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moat.Storage.AccessLog;
using Moat.Web.Pages;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.AccessLogPages;

/// <summary>
/// /access-log: administrators read the whole log and see whether its hash chain is intact;
/// everyone else sees exactly who accessed their own mail and data.
/// </summary>
internal static class AccessLogEndpoints
{
    private const int PageSize = 200;

    public static void Map(RouteGroupBuilder signedIn, WebAdminServices services) =>
        signedIn.MapGet("/access-log", async (string? subject, string? actor, long? before, HttpContext context) =>
        {
            var administrator = context.User.IsAdministrator();
            var query = administrator
                ? new AccessLogQuery(DataSubject: Blank(subject), Actor: Blank(actor), Limit: PageSize, BeforeSequence: before)
                : new AccessLogQuery(DataSubject: context.User.Name(), Limit: PageSize, BeforeSequence: before);
            var entries = await services.AccessLog.ListAsync(query, context.RequestAborted);
            var verification = administrator ? await services.AccessLog.VerifyAsync(context.RequestAborted) : null;
            return PageResult.Of<AccessLogPage>(new Dictionary<string, object?>
            {
                [nameof(AccessLogPage.Entries)] = entries,
                [nameof(AccessLogPage.Verification)] = verification,
                [nameof(AccessLogPage.Administrator)] = administrator,
                [nameof(AccessLogPage.Subject)] = administrator ? subject : null,
                [nameof(AccessLogPage.Actor)] = administrator ? actor : null,
                [nameof(AccessLogPage.NextBefore)] = entries.Count == PageSize ? entries[^1].Sequence : null,
            });
        });

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
