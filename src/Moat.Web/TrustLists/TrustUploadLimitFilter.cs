using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moat.Web.Pages.Shared;
using Moat.Web.Rendering;

namespace Moat.Web.TrustLists;

/// <summary>
/// Holds the import's request body to <see cref="TrustImport.MaxRequestBytes"/> instead of the
/// listener's 10 MiB. It must run before <c>CsrfFilter</c>, which reads the whole form: a body
/// that announces more is refused before a byte of it is read, and one that grows past the
/// limit on the way (chunked) makes the server stop reading it.
/// </summary>
internal sealed class TrustUploadLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.ContentLength > TrustImport.MaxRequestBytes)
        {
            return TooLarge();
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = TrustImport.MaxRequestBytes;
        }

        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
    }

    private static IResult TooLarge() =>
        PageResult.Of<StatusPage>(
            new Dictionary<string, object?>
            {
                [nameof(StatusPage.Title)] = "File too large",
                [nameof(StatusPage.Message)] = $"A contacts file may be at most {TrustImport.MaxFileBytes / 1024 / 1024} MiB. Go back and choose a smaller one, or split it.",
            },
            StatusCodes.Status413PayloadTooLarge);
}
