using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Moat.Web.Pages;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.Dashboard;

/// <summary>
/// The dashboard at /, its live event stream at /events, and the two fragments the script
/// re-fetches when their data changed (the charts are drawn here only, never in the browser).
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The login redirects here with ?notice=password-popular.</summary>
    public const string PopularPasswordNotice = "password-popular";

    public static void Map(RouteGroupBuilder signedIn, WebAdminServices services) =>
        Map(signedIn, services.Dashboard, services.Clock);

    /// <summary>With only what the dashboard needs (tests host it without the rest of the admin).</summary>
    internal static void Map(RouteGroupBuilder signedIn, IDashboardSource dashboard, TimeProvider clock)
    {
        // The gateway's figures are for administrators; a user's home is their held mail.
        signedIn.MapGet("/", (HttpContext context, string? notice) => context.User.IsAdministrator()
            ? PageResult.Of<DashboardPage>(
                new Dictionary<string, object?>
                {
                    [nameof(DashboardPage.Snapshot)] = dashboard.GetSnapshot(),
                    [nameof(DashboardPage.Notice)] = notice == PopularPasswordNotice ? PopularPasswordText(context.User.Name()) : null,
                })
            : Results.Redirect(notice == PopularPasswordNotice ? "/quarantine?notice=" + PopularPasswordNotice : "/quarantine"));

        var administrators = signedIn.MapGroup(string.Empty).AddEndpointFilter(async (invocation, next) =>
            invocation.HttpContext.User.IsAdministrator() ? await next(invocation) : Results.StatusCode(StatusCodes.Status403Forbidden));

        administrators.MapGet("/events", (HttpContext context) => DashboardEvents.StreamAsync(context, dashboard, clock));

        administrators.MapGet("/dashboard/chart", () =>
            Results.Text(SvgCharts.Traffic(dashboard.GetSnapshot().PerMinute), "image/svg+xml; charset=utf-8"));

        administrators.MapGet("/dashboard/engines", () => new RazorComponentResult<EngineTimesList>(
            new Dictionary<string, object?> { [nameof(EngineTimesList.Engines)] = dashboard.GetSnapshot().Engines }));
    }

    internal static string PopularPasswordText(string user) =>
        "Your password has become too popular: too many accounts now use the same one, which makes it easy to guess. " +
        $"Change it with: moat accounts passwd {user}";
}
