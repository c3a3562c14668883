using System.Net;
using Moat.Cli.Tests.Support;
using Moat.Web.Quarantine;

namespace Moat.Cli.Tests.Web;

/// <summary>The one-click release links of digest mails, over plain HTTP as a mail client's browser follows them.</summary>
public sealed class ReleaseLinkTests
{
    private const string Alice = "alice@example.test";

    [Fact]
    public async Task OpeningTheLinkShowsTheMessageAndOnlyTheButtonReleasesIt()
    {
        // The message's server is down, so a released message waits in the queue, visibly no longer held.
        var deadPort = Moat.Testing.FreePort.Get();
        await using var gateway = await WebGateway.StartAsync([], configuration =>
        {
            configuration.Route("example.test", GatewayConfiguration.SmtpRoute(deadPort));
            configuration["delivery"]!["firstRetryDelay"] = "01:00:00";
            configuration["delivery"]!["maxRetryDelay"] = "01:00:00";
        });
        await gateway.SendAsync("news@elsewhere.test", Alice, "Weekly news");
        var id = await gateway.HoldByHandAsync("news@elsewhere.test");
        var link = Links(gateway).Create(id, Alice);
        using var http = new HttpClient();

        var page = await http.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Weekly news", html);
        Assert.Contains("id=\"release\"", html);
        Assert.Equal(id, await gateway.HeldIdAsync("news@elsewhere.test"));

        var released = await http.PostAsync(link, HtmlForm.Fill(html));
        Assert.Contains("on its way", await released.Content.ReadAsStringAsync());
        Assert.Null(await gateway.HeldIdAsync("news@elsewhere.test"));

        var again = await http.PostAsync(link, HtmlForm.Fill(html));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        var log = await gateway.Moat.RunCommandAsync("audit-log", "list", "--subject", Alice);
        Assert.Contains("one-click link", log.StandardOutput);
    }

    [Fact]
    public async Task ALinkDoesNotReleaseWhatTheAntivirusFindsNow()
    {
        await using var gateway = await WebGateway.StartAsync([]);
        var id = await gateway.HoldVirusAsync("news@elsewhere.test", Alice, "Weekly news", "News of the week.");
        var link = Links(gateway).Create(id, Alice);
        using var http = new HttpClient();
        var html = await (await http.GetAsync(link)).Content.ReadAsStringAsync();

        var refused = await http.PostAsync(link, HtmlForm.Fill(html));

        Assert.Contains("was not released", await refused.Content.ReadAsStringAsync());
        Assert.Equal(id, await gateway.HeldIdAsync("news@elsewhere.test"));
        Assert.Empty(gateway.Receiver.Messages());
        var log = await gateway.Moat.RunCommandAsync("audit-log", "list", "--subject", Alice);
        Assert.DoesNotContain("one-click link", log.StandardOutput);
    }

    [Fact]
    public async Task AForgedLinkOrALinkForAnotherRecipientReleasesNothing()
    {
        await using var gateway = await WebGateway.StartAsync([]);
        var id = await gateway.HoldVirusAsync("offers@elsewhere.test", Alice, "Offer", "Buy now.");
        var links = Links(gateway);
        using var http = new HttpClient();

        var forged = links.Create(id, Alice).ToString()[..^3] + "AAA";
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync(links.Create(id, "mallory@example.test"))).StatusCode);

        Assert.Equal(id, await gateway.HeldIdAsync("offers@elsewhere.test"));
    }

    // The link a digest would carry, signed with the gateway's own key from its data folder.
    private static ReleaseLinks Links(WebGateway gateway) =>
        ReleaseLinks.Create(gateway.Moat.DataDirectory, new Uri(gateway.Url), TimeSpan.FromDays(7), TimeProvider.System);
}
