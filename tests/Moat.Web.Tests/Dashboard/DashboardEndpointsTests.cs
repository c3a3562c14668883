using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

/// <summary>The dashboard's endpoints on a real Kestrel (without the login, which the admin's group adds).</summary>
public sealed partial class DashboardEndpointsTests : IAsyncLifetime
{
    private const string PlainUserHeader = "X-Test-Plain-User";

    private readonly FixedDashboardSource source = new(FixedDashboardSource.Sample(DateTimeOffset.UtcNow));
    private WebApplication? app;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRazorComponents();
        app = builder.Build();

        // Stands in for the login: an administrator, or a plain user when the test asks for one.
        app.Use((context, next) =>
        {
            var role = context.Request.Headers.ContainsKey(PlainUserHeader) ? "User" : "Administrator";
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone@example.test"), new Claim(ClaimTypes.Role, role)], "test"));
            return next(context);
        });
        DashboardEndpoints.Map(app.MapGroup(string.Empty), source, TimeProvider.System);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task AUserWhoIsNoAdministratorIsSentToTheirHeldMailAndGetsNoFigures()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var plain = new HttpClient(handler) { BaseAddress = client.BaseAddress };
        plain.DefaultRequestHeaders.Add(PlainUserHeader, "1");

        using var home = await plain.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/quarantine", home.Headers.Location?.OriginalString);
        foreach (var path in new[] { "/events", "/dashboard/chart", "/dashboard/engines" })
        {
            using var response = await plain.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task ThePageIsCompleteWithoutScript()
    {
        var html = await client.GetStringAsync("/");

        Assert.Equal("3", Inner(html, "messages-in"));
        Assert.Equal("2", Inner(html, "messages-out"));
        Assert.Contains("1,234", html, StringComparison.Ordinal);
        Assert.Contains("greylist", html, StringComparison.Ordinal);
        Assert.Contains("1 h 30 min", html, StringComparison.Ordinal);
        Assert.Contains("3,600,123", html, StringComparison.Ordinal);
        Assert.Contains("<progress aria-label=\"Progress of /var/spool/moat/content/ABC\" max=\"2097152\" value=\"524288\">25%</progress>", html, StringComparison.Ordinal);
        Assert.Contains("512 KiB of 2 MiB", html, StringComparison.Ordinal);
        Assert.Contains("&lt;evil&gt;.exe", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;clamd&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>clamd", html, StringComparison.Ordinal);
        Assert.Matches("<svg [^>]*class=\"chart traffic\"", html);
        Assert.Contains("class=\"chart durations\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"status\"", html, StringComparison.Ordinal);

        // The CSP allows no inline script or style: the only script is the asset, no style attributes anywhere.
        Assert.Equal(["<script src=\"/assets/dashboard.js\" defer>"], ScriptTag().Matches(html).Select(m => m.Value));
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    [Fact]
    public async Task APopularPasswordNoticeIsAStatusNote()
    {
        var html = await client.GetStringAsync("/?notice=password-popular");

        var status = Regex.Match(html, "<p role=\"status\"[^>]*>(?<text>[^<]*)</p>");
        Assert.True(status.Success, html);
        Assert.Contains("too popular", status.Groups["text"].Value, StringComparison.Ordinal);
        Assert.Contains("moat accounts passwd", status.Groups["text"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"status\"", await client.GetStringAsync("/?notice=something-else"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsStreamTheSnapshotEverySecondUntilTheClientGoes()
    {
        // Timed from before the request: the server's ticks cannot come earlier than that, while a
        // client slowed down by a busy machine may read two of them at once after the headers.
        var started = DateTime.UtcNow;
        using var response = await client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            var comments = 0;
            var snapshots = new List<JsonElement>();
            while (snapshots.Count < 3)
            {
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? throw new EndOfStreamException();
                if (line.StartsWith(':'))
                {
                    comments++;
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    snapshots.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }

            // Three events: one at once, then one a second (so two seconds at least; the upper bound only catches a stream that stalls).
            Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
            Assert.True(comments >= 1);
            var snapshot = snapshots[^1];
            Assert.Equal(3, snapshot.GetProperty("messagesInLastMinute").GetInt64());
            Assert.Equal(2, snapshot.GetProperty("messagesOutLastMinute").GetInt64());
            Assert.Equal(60, snapshot.GetProperty("perMinute").GetArrayLength());
            Assert.Equal(1234, snapshot.GetProperty("verdicts").GetProperty("accept").GetInt64());
            Assert.Equal(4, snapshot.GetProperty("queue").GetProperty("incoming").GetInt64());
            Assert.Equal(524288, snapshot.GetProperty("scans")[0].GetProperty("bytesDone").GetInt64());
            Assert.Equal("signatures", snapshot.GetProperty("engines")[0].GetProperty("engine").GetString());
        }

        response.Dispose();

        // The server notices the closed connection and stops asking for snapshots.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int before;
        do
        {
            before = source.Calls;
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }
        while (source.Calls != before && DateTime.UtcNow < deadline);
        Assert.Equal(before, source.Calls);
    }

    [Fact]
    public async Task TheChartFragmentIsTheServersSvg()
    {
        using var response = await client.GetAsync("/dashboard/chart");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(60, svg.Elements(XName.Get("g", "http://www.w3.org/2000/svg")).Count());
    }

    [Fact]
    public async Task TheEnginesFragmentIsTheEngineListAlone()
    {
        var html = await client.GetStringAsync("/dashboard/engines");

        Assert.StartsWith("<div class=\"engines\">", html.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<figure class=\"engine\">"));
        Assert.Contains("p50 <span class=\"number\">3 ms</span>", html, StringComparison.Ordinal);
        Assert.Contains("p95 <span class=\"number\">900 ms</span>", html, StringComparison.Ordinal);
    }

    private static string Inner(string html, string id)
    {
        var match = Regex.Match(html, $"<[a-z]+ id=\"{id}\"[^>]*>(?<text>[^<]*)</");
        Assert.True(match.Success, $"no element #{id}");
        return match.Groups["text"].Value;
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\sstyle=")]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("\\son[a-z]+=")]
    private static partial Regex InlineHandler();
}
