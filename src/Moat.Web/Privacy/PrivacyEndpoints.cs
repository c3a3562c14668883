using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Moat.Web.Pages.Public;
using Moat.Web.Rendering;

namespace Moat.Web.Privacy;

/// <summary>The privacy notice: public, because the people whose mail passes through have a right to read it.</summary>
internal static class PrivacyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, WebAdminServices services) =>
        app.MapGet("/privacy", () => PageResult.Of<PrivacyPage>(
            new Dictionary<string, object?> { [nameof(PrivacyPage.Notice)] = services.PrivacyNotice() }));
}
