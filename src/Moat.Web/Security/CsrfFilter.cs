using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moat.Web.Pages.Shared;
using Moat.Web.Rendering;

namespace Moat.Web.Security;

/// <summary>
/// Refuses a state-changing request whose form lacks the antiforgery field that matches the
/// antiforgery cookie: another site cannot make a logged-in browser release or delete mail.
/// </summary>
internal sealed class CsrfFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return PageResult.Of<StatusPage>(
                new Dictionary<string, object?>
                {
                    [nameof(StatusPage.Title)] = "Form expired",
                    [nameof(StatusPage.Message)] = "This form is out of date or did not come from this site. Go back, reload the page and try again.",
                },
                StatusCodes.Status400BadRequest);
        }

        return await next(context);
    }
}
