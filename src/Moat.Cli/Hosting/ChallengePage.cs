using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moat.Trust.Challenges;

namespace Moat.Cli.Hosting;

/// <summary>
/// The public page a challenged sender opens: no login, one button. Opening the link (GET) only
/// shows the button, because link scanners and mail previews fetch links on their own; pressing
/// it (POST) confirms. The token in the path is the secret, so the page never leaks it onwards
/// (no referrer, no caching) and loads nothing from anywhere.
/// </summary>
internal static class ChallengePage
{
    public static void Map(WebApplication app, ChallengeService challenges)
    {
        app.MapGet("/challenge/{token}", (string token, HttpContext context) =>
            Page(context, "Confirm your message", $"""
                <p>Someone you wrote to accepts mail from new senders once they confirm they are real.</p>
                <form method="post" action="/challenge/{WebUtility.HtmlEncode(token)}">
                  <input type="hidden" name="confirm" value="yes">
                  <button type="submit">I sent this message: deliver it</button>
                </form>
                """));

        app.MapPost("/challenge/{token}", async (string token, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form["confirm"] != "yes")
            {
                return Page(context, "Confirm your message", "<p>Please use the button on the confirmation page.</p>", StatusCodes.Status400BadRequest);
            }

            var result = await challenges.ConfirmAsync(token, context.RequestAborted);
            return result.Status switch
            {
                ConfirmationStatus.Confirmed => Page(context, "Thank you", "<p>Your message is on its way, and your next ones will arrive directly.</p>"),
                ConfirmationStatus.AlreadyConfirmed => Page(context, "Already confirmed", "<p>This message was confirmed before; nothing more to do.</p>"),
                _ => Page(context, "Link not valid", "<p>This confirmation link is not valid or has expired. Send your message again to get a new one.</p>", StatusCodes.Status404NotFound),
            };
        }).DisableAntiforgery();
    }

    private static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body>
            <main>
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            {body}
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
