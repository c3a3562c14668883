using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace Moat.Web.Security;

/// <summary>
/// Checks the account behind a session cookie on every request: a removed or locked account is
/// logged out at once, and a role change applies at once, not when the cookie expires.
/// </summary>
internal static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices.GetRequiredService<WebAdminServices>();
        var name = context.Principal?.Identity?.Name;
        var account = name is null ? null : await services.Accounts.FindAsync(name, context.HttpContext.RequestAborted);
        if (account is null || account.Locked)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        var role = account.Role.ToString();
        if (!context.Principal!.IsInRole(role) || context.Principal.FindAll(ClaimTypes.Role).Count() != 1)
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, role)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            context.ReplacePrincipal(new ClaimsPrincipal(identity));
            context.ShouldRenew = true;
        }
    }
}
