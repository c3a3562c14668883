using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// Held mail in the browser: releasing it, who sees which messages, and an administrator's access
/// to someone else's mail, which needs a reason and lands in the tamper-evident access log.
/// </summary>
public sealed class QuarantinePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly (string, string, string) Administrator = (WebGateway.Administrator, WebGateway.AdministratorPassword, "administrator");
    private static readonly (string, string, string) Bob = (WebGateway.Bob, WebGateway.BobPassword, "user");
    private static readonly (string, string, string) Carol = (WebGateway.Carol, WebGateway.CarolPassword, "user");

    [Fact]
    public async Task AnAdministratorReleasesAHeldMessageAndItIsDelivered()
    {
        await using var gateway = await WebGateway.StartAsync([Administrator]);
        var id = await gateway.HoldVirusAsync("invoices@elsewhere.test", "alice@example.test", "Invoice 2291", "Please find the invoice attached.");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword);

        await page.GotoAsync(gateway.Url + "quarantine");
        var row = page.Locator($"#quarantine tr[data-id=\"{id}\"]");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("invoices@elsewhere.test");
        await Assertions.Expect(row).ToContainTextAsync("Invoice 2291");
        await BrowserFixture.SaveScreenshotAsync(page, "quarantine-list");

        // The search covers sender, recipient and subject.
        foreach (var term in new[] { "invoices@elsewhere", "alice@example.test", "Invoice 2291" })
        {
            await page.GotoAsync(gateway.Url + "quarantine?q=" + Uri.EscapeDataString(term));
            await Assertions.Expect(page.Locator($"#quarantine tr[data-id=\"{id}\"]")).ToBeVisibleAsync();
        }

        await page.GotoAsync(gateway.Url + "quarantine?q=" + Uri.EscapeDataString("no message says this"));
        await Assertions.Expect(page.Locator($"#quarantine tr[data-id=\"{id}\"]")).ToHaveCountAsync(0);

        await page.GotoAsync(gateway.Url + "quarantine");
        await page.Locator($"#quarantine tr[data-id=\"{id}\"] a[href*=\"quarantine/{id}\"]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(gateway.Url + "quarantine/" + id);
        await Assertions.Expect(page.Locator("#release")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#release-trust")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#delete")).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "message");
        Assert.Empty(gateway.Receiver.Messages());

        await page.Locator("#release").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/quarantine(\\?[^/]*)?$"));
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("released", new LocatorAssertionsToContainTextOptions { IgnoreCase = true });
        await Assertions.Expect(page.Locator($"#quarantine tr[data-id=\"{id}\"]")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "quarantine-released");

        // A release goes straight to delivery: the virus verdict is not asked again.
        var delivered = Assert.Single(await gateway.Receiver.WaitForMessagesAsync(1, WebGateway.Wait));
        Assert.Equal(["alice@example.test"], delivered.Recipients);
        Assert.Contains("Invoice 2291", Encoding.UTF8.GetString(delivered.Content), StringComparison.Ordinal);
        Assert.Null(await gateway.HeldIdAsync("invoices@elsewhere.test"));
    }

    [Fact]
    public async Task ReleasedMailIsScannedAgainWithTodaysSignaturesFirst()
    {
        // Clean when it arrived; a signature published while it waited knows it.
        const string Marker = "QZX-7319-ZERO-HOUR";
        var deadPort = Moat.Testing.FreePort.Get();
        await using var gateway = await WebGateway.StartAsync([Administrator], configuration =>
        {
            configuration.Route("example.test", GatewayConfiguration.SmtpRoute(deadPort));
            configuration["delivery"]!["firstRetryDelay"] = "01:00:00";
            configuration["delivery"]!["maxRetryDelay"] = "01:00:00";
        });
        await gateway.SendAsync("figures@elsewhere.test", "alice@example.test", "Figures " + Marker);
        await gateway.SendAsync("minutes@elsewhere.test", "alice@example.test", "Minutes of Tuesday");
        var stopped = await gateway.HoldByHandAsync("figures@elsewhere.test");
        var clean = await gateway.HoldByHandAsync("minutes@elsewhere.test");

        await gateway.Moat.StopAsync();
        var signatures = Directory.CreateDirectory(Path.Combine(gateway.Moat.DataDirectory, "signatures")).FullName;
        await File.WriteAllTextAsync(Path.Combine(signatures, "zero-hour.ndb"), $"Moat.Test.ZeroHour:0:*:{Convert.ToHexString(Encoding.ASCII.GetBytes(Marker))}\n");
        await gateway.Moat.StartAgainAsync();
        await gateway.Moat.WaitForOutputAsync("zero-hour.ndb");

        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword);
        await page.GotoAsync(gateway.Url + "quarantine/" + stopped);
        await page.Locator("#release").ClickAsync();

        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Not released");
        var row = page.Locator($"#quarantine tr[data-id=\"{stopped}\"]");
        await Assertions.Expect(row).ToContainTextAsync("virus: Moat.Test.ZeroHour");
        await BrowserFixture.SaveScreenshotAsync(page, "quarantine-release-threat-found");
        Assert.Equal(stopped, await gateway.HeldIdAsync("figures@elsewhere.test"));

        // The other one passes the same check and goes.
        await page.GotoAsync(gateway.Url + "quarantine/" + clean);
        await page.Locator("#release").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Released");
        Assert.Null(await gateway.HeldIdAsync("minutes@elsewhere.test"));
    }

    [Fact]
    public async Task AnAdministratorOpensAUsersMessageOnlyWithAReasonAndTheAccessLogShowsIt()
    {
        const string Reason = "Bob asked by phone whether the statement is genuine (ticket 4711)";
        await using var gateway = await WebGateway.StartAsync([Administrator, Bob, Carol]);
        var bobs = await gateway.HoldVirusAsync("statements@elsewhere.test", WebGateway.Bob, "Statement for March", "Your statement for March is attached.");
        var carols = await gateway.HoldVirusAsync("offers@elsewhere.test", WebGateway.Carol, "A special offer", "An offer you cannot refuse.");
        await using var adminContext = await browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await gateway.LogInAsync(admin, WebGateway.Administrator, WebGateway.AdministratorPassword);

        await admin.GotoAsync(gateway.Url + "quarantine/" + bobs);
        await Assertions.Expect(admin.Locator("#reason")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#content")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Your statement for March", await admin.ContentAsync(), StringComparison.Ordinal);
        await admin.Locator("#reason").FillAsync(Reason);
        await admin.Locator("#open").ClickAsync();
        await Assertions.Expect(admin.Locator("#content")).ToContainTextAsync("Your statement for March is attached.");
        await BrowserFixture.SaveScreenshotAsync(admin, "message-opened-with-reason");

        await admin.GotoAsync(gateway.Url + "quarantine/" + carols);
        await admin.Locator("#reason").FillAsync("Checking a reported phishing wave");
        await admin.Locator("#open").ClickAsync();
        await Assertions.Expect(admin.Locator("#content")).ToContainTextAsync("An offer you cannot refuse.");

        await admin.GotoAsync(gateway.Url + "access-log");
        var entry = admin.Locator("#access-log tr", new PageLocatorOptions { HasText = bobs });
        await Assertions.Expect(entry).ToHaveCountAsync(1);
        await Assertions.Expect(entry).ToContainTextAsync(WebGateway.Administrator);
        await Assertions.Expect(entry).ToContainTextAsync(Reason);
        await Assertions.Expect(admin.Locator("#chain-status")).ToContainTextAsync("intact");
        await BrowserFixture.SaveScreenshotAsync(admin, "access-log");

        var verify = await gateway.Moat.RunCommandAsync("audit-log", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());

        // Bob learns who looked at his mail and why, and nothing about Carol's.
        await using var bobContext = await browser.NewContextAsync();
        var bob = await bobContext.NewPageAsync();
        await gateway.LogInAsync(bob, WebGateway.Bob, WebGateway.BobPassword);
        await bob.GotoAsync(gateway.Url + "access-log");
        await Assertions.Expect(bob.Locator("main")).ToContainTextAsync(bobs);
        await Assertions.Expect(bob.Locator("main")).ToContainTextAsync(Reason);
        await Assertions.Expect(bob.Locator("main")).Not.ToContainTextAsync(carols);
        await Assertions.Expect(bob.Locator("main")).Not.ToContainTextAsync("phishing wave");
        await BrowserFixture.SaveScreenshotAsync(bob, "access-log-user");
    }

    [Fact]
    public async Task AUserReleasesTheirOwnCopyAndTheOtherRecipientStillDecides()
    {
        var deadPort = Moat.Testing.FreePort.Get();
        await using var gateway = await WebGateway.StartAsync([Bob, Carol], configuration =>
        {
            configuration.Route("example.test", GatewayConfiguration.SmtpRoute(deadPort));
            configuration["delivery"]!["firstRetryDelay"] = "01:00:00";
            configuration["delivery"]!["maxRetryDelay"] = "01:00:00";
        });
        await gateway.SendAsync("party@elsewhere.test", WebGateway.Bob + "," + WebGateway.Carol, "Party on Friday");
        var id = await gateway.HoldByHandAsync("party@elsewhere.test");
        await using var bobContext = await browser.NewContextAsync();
        var bob = await bobContext.NewPageAsync();
        await gateway.LogInAsync(bob, WebGateway.Bob, WebGateway.BobPassword);

        await bob.GotoAsync(gateway.Url + "quarantine/" + id);
        await bob.Locator("#release").ClickAsync();

        await Assertions.Expect(bob.Locator("[role=status]")).ToContainTextAsync("Released");
        await Assertions.Expect(bob.Locator($"#quarantine tr[data-id=\"{id}\"]")).ToHaveCountAsync(0);
        var list = (await gateway.Moat.RunCommandAsync("queue", "list")).StandardOutput;
        Assert.Equal(2, list.Split('\n').Count(line => line.EndsWith(" party@elsewhere.test", StringComparison.Ordinal)));
        Assert.Equal(id, await gateway.HeldIdAsync("party@elsewhere.test"));

        // Carol still finds it held, addressed to her alone now.
        await using var carolContext = await browser.NewContextAsync();
        var carol = await carolContext.NewPageAsync();
        await gateway.LogInAsync(carol, WebGateway.Carol, WebGateway.CarolPassword);
        await carol.GotoAsync(gateway.Url + "quarantine");
        await Assertions.Expect(carol.Locator($"#quarantine tr[data-id=\"{id}\"]")).ToBeVisibleAsync();
        var show = await gateway.Moat.RunCommandAsync("queue", "show", id);
        var recipients = show.StandardOutput.Split('\n').Where(line => line.TrimStart().StartsWith("recipient:", StringComparison.Ordinal)).ToList();
        Assert.Contains($"<{WebGateway.Carol}>", Assert.Single(recipients), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserSeesOnlyTheirOwnHeldMailAndIsRefusedSomeoneElses()
    {
        await using var gateway = await WebGateway.StartAsync([Bob, Carol]);
        var bobs = await gateway.HoldVirusAsync("statements@elsewhere.test", WebGateway.Bob, "Statement for March", "Your statement for March is attached.");
        var carols = await gateway.HoldVirusAsync("offers@elsewhere.test", WebGateway.Carol, "A special offer", "An offer you cannot refuse.");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await gateway.LogInAsync(page, WebGateway.Bob, WebGateway.BobPassword);

        await page.GotoAsync(gateway.Url + "quarantine");
        await Assertions.Expect(page.Locator($"#quarantine tr[data-id=\"{bobs}\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#quarantine tr[data-id=\"{carols}\"]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#quarantine tr[data-id]")).ToHaveCountAsync(1);
        Assert.DoesNotContain("offers@elsewhere.test", await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.SaveScreenshotAsync(page, "quarantine-user");

        await page.GotoAsync(gateway.Url + "quarantine?q=" + Uri.EscapeDataString("special offer"));
        await Assertions.Expect(page.Locator("#quarantine tr[data-id]")).ToHaveCountAsync(0);

        var own = await page.GotoAsync(gateway.Url + "quarantine/" + bobs);
        Assert.Equal(200, own?.Status);

        var others = await page.GotoAsync(gateway.Url + "quarantine/" + carols);
        Assert.Equal(403, others?.Status);
        Assert.DoesNotContain("An offer you cannot refuse", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.NotNull(await gateway.HeldIdAsync("offers@elsewhere.test"));
    }
}
