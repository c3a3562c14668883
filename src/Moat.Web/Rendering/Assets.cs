using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Moat.Web.Rendering;

/// <summary>
/// The style sheet and the small scripts, embedded in the assembly: nothing is fetched from a
/// CDN and there is no front-end build step.
/// </summary>
internal static class Assets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            var extension = Path.GetExtension(name);
            var stream = ContentTypes.TryGetValue(extension, out var type)
                ? typeof(Assets).Assembly.GetManifestResourceStream("Moat.Web.Assets." + name)
                : null;
            if (stream is null)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Stream(stream, type);
        });
}
