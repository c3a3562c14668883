using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MimeKit;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// A stranger confirms a challenge in the browser, without an account: the link in the challenge
/// mail opens a page whose button releases the held message. Set up as in TrustEndToEndTests: a
/// real DNS server gives stranger.test an SPF record for 127.0.0.3, so mail from there is
/// authenticated and worth a challenge; challenges go to a second aiosmtpd, "the Internet".
/// </summary>
public sealed class ChallengePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string StrangersServer = "127.0.0.3";

    private NsdServer? dns;
    private AioSmtpdServer? internet;
    private WebGateway? gateway;

    public async Task InitializeAsync()
    {
        dns = await NsdServer.StartAsync(
            new DnsZone("stranger.test").Txt("@", $"v=spf1 ip4:{StrangersServer} -all").Mx("@", 10, "mx").A("mx", StrangersServer),

            // The parent zone answers "no such name" for names the other zones don't hold, as the real DNS does.
            new DnsZone("test"));
        internet = await AioSmtpdServer.StartAsync();
        gateway = await WebGateway.StartAsync([], configuration =>
        {
            configuration.Route("stranger.test", GatewayConfiguration.SmtpRoute(internet.Port));
            configuration["delivery"]!["dnsServers"] = new JsonArray(dns.NameServer);
            configuration["pipeline"] = new JsonObject { ["order"] = new JsonArray("size", "sender", "relay", "recipient-domains", "trust") };
            configuration["trust"] = new JsonObject
            {
                ["unknownSenders"] = "challenge",
                ["challenge"] = new JsonObject { ["publicUrl"] = configuration.WebUrl().TrimEnd('/') },
            };
        });
    }

    public async Task DisposeAsync()
    {
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }

        internet?.Dispose();
        dns?.Dispose();
    }

    [Fact]
    public async Task AStrangerConfirmsTheChallengeInTheBrowserAndTheMessageIsDelivered()
    {
        var sent = await Swaks.RunAsync(
            gateway!.Moat.Configuration.SmtpPort(),
            "--local-interface", StrangersServer, "--helo", "mx.stranger.test", "--from", "dave@stranger.test", "--to", "alice@example.test",
            "--header", "Subject: A question about the tender", "--header", "From: dave@stranger.test", "--body", "Is the deadline still Friday?");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        var challenge = MimeMessage.Load(new MemoryStream(Assert.Single(await internet!.WaitForMessagesAsync(1, WebGateway.Wait)).Content));
        var link = challenge.TextBody!.Split(['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries).Single(word => word.StartsWith("http://", StringComparison.Ordinal));
        Assert.StartsWith(gateway.Url + "challenge/", link, StringComparison.Ordinal);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var opened = await page.GotoAsync(link);

        Assert.Equal(200, opened?.Status);
        await Assertions.Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "challenge");
        Assert.Empty(gateway.Receiver.Messages());

        // A person reads the page before pressing; the page refuses a press within a second of
        // showing it (as bots do) and asks for another, so the test takes a person's pause.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await page.Locator("#confirm").ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Thank you");
        await BrowserFixture.SaveScreenshotAsync(page, "challenge-confirmed");
        var delivered = Assert.Single(await gateway.Receiver.WaitForMessagesAsync(1, WebGateway.Wait));
        Assert.Contains("Is the deadline still Friday?", Encoding.UTF8.GetString(delivered.Content), StringComparison.Ordinal);
    }
}
