using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>The dashboard at /: the figures of the last minute move by themselves while mail flows.</summary>
public sealed class DashboardPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task MessagesInRisesLiveWhileMailArrives()
    {
        await using var gateway = await WebGateway.StartAsync([(WebGateway.Administrator, WebGateway.AdministratorPassword, "administrator")]);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword, screenshot: "login");
        var messagesIn = page.Locator("#messages-in");
        await Assertions.Expect(messagesIn).ToHaveTextAsync(new Regex(@"^\s*\d+\s*$"));
        await Assertions.Expect(page.Locator("#messages-out")).ToHaveTextAsync(new Regex(@"^\s*\d+\s*$"));
        var before = await ReadNumberAsync(messagesIn) ?? throw new InvalidOperationException("#messages-in holds no number");

        // A reload would lose this mark, so finding it afterwards proves the figure moved in place.
        await page.EvaluateAsync("() => { window.moatTestMark = 'no reload'; }");
        await gateway.SendAsync("news@elsewhere.test", "alice@example.test", "First");
        await gateway.SendAsync("news@elsewhere.test", "alice@example.test", "Second");

        var after = before;
        var deadline = DateTime.UtcNow + WebGateway.Wait;
        while (after <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            after = await ReadNumberAsync(messagesIn) ?? after;
        }

        Assert.True(after > before, $"#messages-in stayed at {after} (was {before}) after two messages:\n{gateway.Moat.Output}");
        Assert.Equal("no reload", await page.EvaluateAsync<string?>("() => window.moatTestMark ?? null"));
        await BrowserFixture.SaveScreenshotAsync(page, "dashboard");
        Assert.Equal(2, (await gateway.Receiver.WaitForMessagesAsync(2, WebGateway.Wait)).Count);
    }

    /// <summary>Null while the element holds no number (e.g. in the middle of an update).</summary>
    private static async Task<int?> ReadNumberAsync(ILocator locator) =>
        int.TryParse((await locator.InnerTextAsync()).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
