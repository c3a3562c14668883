using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Moat.Web;

/// <summary>How the web listener runs; the host derives it from the configuration.</summary>
/// <param name="EndPoint">Where to listen.</param>
/// <param name="Certificate">Serve HTTPS with this certificate; null serves plain HTTP (loopback only, the configuration check sees to it).</param>
/// <param name="PublicUrl">The base users reach the listener at, ending in a slash; links in mail start with it.</param>
/// <param name="DataDirectory">The session keys live in a folder below it, so logins survive a restart.</param>
/// <param name="MetricsEnabled">Serve /metrics.</param>
/// <param name="SessionIdleTimeout">A login ends after this long without a request.</param>
/// <param name="ReleaseLinkLifetime">How long a one-click release link from a digest stays valid.</param>
public sealed record WebAdminSettings(
    IPEndPoint EndPoint,
    X509Certificate2? Certificate,
    Uri PublicUrl,
    string DataDirectory,
    bool MetricsEnabled,
    TimeSpan SessionIdleTimeout,
    TimeSpan ReleaseLinkLifetime);
