using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Moat.Web.Pages.Shared;

namespace Moat.Web.Rendering;

/// <summary>A page, not an empty body, for errors no endpoint rendered itself (unknown paths, 403, 429 from the rate limiter).</summary>
internal static class StatusPages
{
    public static async Task RenderAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (title, message) = http.Response.StatusCode switch
        {
            StatusCodes.Status403Forbidden => ("Not allowed", "Your account may not open this page."),
            StatusCodes.Status404NotFound => ("Not found", "There is nothing at this address."),
            StatusCodes.Status405MethodNotAllowed => ("Not allowed", "This address does not take that kind of request."),
            StatusCodes.Status429TooManyRequests => ("Too many attempts", "Too many requests came from your network. Wait a while before you try again."),
            _ => ("Error", "The request could not be handled."),
        };
        var result = PageResult.Of<StatusPage>(
            new Dictionary<string, object?> { [nameof(StatusPage.Title)] = title, [nameof(StatusPage.Message)] = message },
            http.Response.StatusCode);
        await result.ExecuteAsync(http);
    }
}
