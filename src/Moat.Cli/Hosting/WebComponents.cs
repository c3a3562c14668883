using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Moat.Accounts.Accounts;
using Moat.Cli.Configuration;
using Moat.Queue.Spool;
using Moat.Storage.Sqlite;
using Moat.Web;
using Moat.Web.Dashboard;
using Moat.Web.Quarantine;

namespace Moat.Cli.Hosting;

/// <summary>The web listener's settings and services, from the configuration and the running gateway.</summary>
internal static class WebComponents
{
    /// <summary>Where users reach the listener: web.publicUrl, else the listen address.</summary>
    public static Uri PublicUrl(MoatOptions options)
    {
        var url = options.Web.PublicUrl ?? $"{(options.Web.Https ? "https" : "http")}://{options.Web.Listen}/";
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    public static ReleaseLinks CreateReleaseLinks(MoatOptions options) =>
        ReleaseLinks.Create(options.DataDirectory, PublicUrl(options), options.Web.ReleaseLinkLifetime, TimeProvider.System);

    public static Task<WebAdmin> StartAsync(
        MoatOptions options,
        X509Certificate2? certificate,
        SqliteStorage storage,
        AccountService accounts,
        IQuarantine quarantine,
        ReleaseLinks releaseLinks,
        IDashboardSource dashboard,
        TrustComponents? trust,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var settings = new WebAdminSettings(
            IPEndPoint.Parse(options.Web.Listen),
            options.Web.Https ? certificate : null,
            PublicUrl(options),
            options.DataDirectory,
            options.Metrics.Enabled,
            options.Web.SessionIdleTimeout,
            options.Web.ReleaseLinkLifetime);
        var services = new WebAdminServices(
            accounts,
            storage.AccessLog,
            storage.Trust,
            quarantine,
            releaseLinks,
            dashboard,
            trust?.Challenges,
            trust is null ? null : storage.Challenges,
            options.Trust.Challenge.HoldTime,
            () => PrivacyNoticeBuilder.Build(options),
            TimeProvider.System,
            trust?.ListContent);
        return WebAdmin.StartAsync(settings, services, loggerFactory, cancellationToken);
    }
}
