using System.Security.Claims;
using Moat.Storage.Accounts;

namespace Moat.Web.Security;

/// <summary>Who is logged in, as the session cookie carries it.</summary>
internal static class UserIdentity
{
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? string.Empty;

    public static bool IsAdministrator(this ClaimsPrincipal user) => user.IsInRole(nameof(AccountRole.Administrator));

    public static bool IsLoggedIn(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;
}
