using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moat.Accounts.Accounts;
using Moat.Web.Metrics;
using Moat.Web.Pages;
using Moat.Web.Pages.Shared;
using Moat.Web.Rendering;

namespace Moat.Web.Security;

/// <summary>
/// Log in with a Moat account. Every attempt goes through the accounts' spraying detector, the
/// same one SMTP AUTH uses, so a source spraying passwords at the web form is slowed and then
/// refused with 429 everywhere; wrong password, unknown and locked accounts all look alike.
/// </summary>
internal static class LoginEndpoints
{
    public const string RateLimitPolicy = "login";

    public static void Map(IEndpointRouteBuilder app, WebAdminServices services)
    {
        app.MapGet("/login", (string? returnUrl) => LoginPage(null, null, returnUrl, StatusCodes.Status200OK));

        app.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var name = form["username"].ToString().Trim();
            var password = form["password"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            var source = context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
            var result = await services.Accounts.VerifyAsync(name, password, source, context.RequestAborted);
            var metrics = context.RequestServices.GetRequiredService<WebMetrics>();
            switch (result.Outcome)
            {
                case LoginOutcome.Success:
                    var account = await services.Accounts.FindAsync(name, context.RequestAborted);
                    if (account is null)
                    {
                        break;
                    }

                    var identity = new ClaimsIdentity(
                        [new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, account.Role.ToString())],
                        CookieAuthenticationDefaults.AuthenticationScheme);
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    metrics.Login("success");
                    var target = IsLocal(returnUrl) ? returnUrl : "/";
                    if (result.PasswordTooPopular)
                    {
                        target = "/?notice=password-popular";
                    }

                    return Results.Redirect(target);

                case LoginOutcome.TooManyAttempts:
                    metrics.Login("throttled");
                    context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.Delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    return PageResult.Of<StatusPage>(
                        new Dictionary<string, object?>
                        {
                            [nameof(StatusPage.Title)] = "Too many attempts",
                            [nameof(StatusPage.Message)] = "Too many failed logins came from your network. Wait a while before you try again.",
                        },
                        StatusCodes.Status429TooManyRequests);
            }

            metrics.Login("refused");
            return LoginPage("Wrong e-mail address or password.", name, returnUrl, StatusCodes.Status401Unauthorized);
        })
        .AddEndpointFilter<CsrfFilter>()
        .RequireRateLimiting(RateLimitPolicy);

        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        })
        .AddEndpointFilter<CsrfFilter>();
    }

    /// <summary>Only paths on this site: an open redirect after login would help phishing.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult LoginPage(string? error, string? name, string? returnUrl, int status) =>
        PageResult.Of<LoginPage>(
            new Dictionary<string, object?>
            {
                [nameof(Pages.LoginPage.Error)] = error,
                [nameof(Pages.LoginPage.UserName)] = name,
                [nameof(Pages.LoginPage.ReturnUrl)] = IsLocal(returnUrl) ? returnUrl : null,
            },
            status);
}
