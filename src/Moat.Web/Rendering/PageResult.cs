using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Moat.Web.Rendering;

/// <summary>Renders a page component as the whole response (static server-side rendering, no script needed).</summary>
internal static class PageResult
{
    public static RazorComponentResult<TComponent> Of<TComponent>(object? parameters = null, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new(parameters ?? new Dictionary<string, object?>()) { StatusCode = statusCode };
}
