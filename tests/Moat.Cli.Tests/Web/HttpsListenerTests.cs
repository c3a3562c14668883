using System.Net;
using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>web.https: the admin over TLS with the gateway's certificate, and Secure session cookies.</summary>
public sealed class HttpsListenerTests
{
    [Fact]
    public async Task TheAdminIsServedOverTlsWithSecureCookies()
    {
        var configuration = GatewayConfiguration.Create();
        configuration["web"]!["https"] = true;
        await using var moat = await MoatProcess.StartAsync(configuration);
        var add = await MoatProcess.RunWithInputAsync("violet-harbour-1893\n", "accounts", "add", "admin@example.test", "--role", "administrator", "--config", moat.ConfigFile, "--data", moat.DataDirectory);
        Assert.True(add.ExitCode == 0, add.ToString());
        var url = "https://" + (string)configuration["web"]!["listen"]! + "/";

        // The generated certificate is self-signed; this test only cares that TLS is spoken.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var page = await http.GetAsync(url + "login");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());

        var login = await http.PostAsync(url + "login", HtmlForm.Fill(html, ("username", "admin@example.test"), ("password", "violet-harbour-1893")));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("moat_session=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);

        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("http://" + (string)configuration["web"]!["listen"]! + "/login"));
    }
}
