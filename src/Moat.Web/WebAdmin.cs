using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Web.AccessLogPages;
using Moat.Web.Challenges;
using Moat.Web.Dashboard;
using Moat.Web.Metrics;
using Moat.Web.Pages.Shared;
using Moat.Web.Privacy;
using Moat.Web.Quarantine;
using Moat.Web.Rendering;
using Moat.Web.Security;
using Moat.Web.TrustLists;

namespace Moat.Web;

/// <summary>
/// The web listener of <c>moat serve</c>: admin pages behind a login, the public pages that mail
/// links to (challenge confirmation, quarantine release, privacy notice) and /metrics. Pages are
/// rendered on the server and work without script; the few scripts are our own, served from
/// here, and only make live figures move.
/// </summary>
public sealed class WebAdmin : IAsyncDisposable
{
    public const string SessionCookieName = "moat_session";
    public const string CsrfCookieName = "moat_csrf";
    public const string CsrfFieldName = "csrf";

    private readonly WebApplication app;

    private WebAdmin(WebApplication app) => this.app = app;

    public static async Task<WebAdmin> StartAsync(WebAdminSettings settings, WebAdminServices services, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (settings.MetricsEnabled)
        {
            await PrometheusEndpoint.PrepareAsync(cancellationToken);
        }

        // The host would watch its content root (by default the working directory, often above the
        // data folder) for configuration changes, and pay for every spool rename; Moat reads no
        // appsettings files, so it watches nothing.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 10 * 1024 * 1024;
            kestrel.Listen(settings.EndPoint, listen =>
            {
                if (settings.Certificate is not null)
                {
                    listen.UseHttps(settings.Certificate);
                }
            });
        });

        var secure = settings.Certificate is not null;
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(services.Clock);
        builder.Services.AddSingleton<HumanCheck>();
        builder.Services.AddSingleton<WebMetrics>();
        builder.Services.AddDataProtection()
            .SetApplicationName("moat-web")
            .PersistKeysToFileSystem(CreateOwnerOnlyFolder(Path.Combine(settings.DataDirectory, "web-keys")));
        builder.Services.AddAntiforgery(options =>
        {
            options.FormFieldName = CsrfFieldName;
            options.Cookie.Name = CsrfCookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = SessionCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = settings.SessionIdleTimeout;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.ReturnUrlParameter = "returnUrl";
                options.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginEndpoints.RateLimitPolicy, context => RateLimitPartition.GetSlidingWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new SlidingWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 }));
        });

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseStatusCodePages(StatusPages.RenderAsync);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        Assets.Map(app);
        if (settings.MetricsEnabled)
        {
            PrometheusEndpoint.Map(app);
        }

        // Public: reached from links in mail or by anyone who wants to know what is stored.
        LoginEndpoints.Map(app, services);
        PrivacyEndpoints.Map(app, services);
        ReleaseLinkEndpoints.Map(app, services);
        if (services.Challenges is not null)
        {
            ChallengeEndpoints.Map(app, services.Challenges);
        }

        var signedIn = app.MapGroup(string.Empty).RequireAuthorization();
        DashboardEndpoints.Map(signedIn, services);
        QuarantineEndpoints.Map(signedIn, services);
        TrustListEndpoints.Map(signedIn, services, services.ChallengeStore, services.ChallengeHoldTime);
        AccessLogEndpoints.Map(signedIn, services);

        await app.StartAsync(cancellationToken);
        return new WebAdmin(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The session keys sign every login cookie: only the gateway's user may read them.</summary>
    private static DirectoryInfo CreateOwnerOnlyFolder(string path)
    {
        var folder = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }
}
