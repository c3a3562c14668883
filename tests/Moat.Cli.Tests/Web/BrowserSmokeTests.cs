using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>Proves the browser stack itself (Playwright's bundled driver, Debian's chromium, the real gateway) before any page test relies on it.</summary>
public sealed class BrowserSmokeTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ChromiumShowsTheGatewaysMetrics()
    {
        await using var moat = await MoatProcess.StartAsync(GatewayConfiguration.Create());
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(moat.Configuration.MetricsUrl());

        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET /metrics answered {response.Status}:\n{moat.Output}");
        Assert.Contains("moat_", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.SaveScreenshotAsync(page, "metrics");
    }
}
