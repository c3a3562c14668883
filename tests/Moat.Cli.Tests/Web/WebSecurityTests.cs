using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// What protects the web admin, seen from a browser: forms without their antiforgery field are
/// refused, the session cookie is out of reach of scripts and other sites, password guessing is
/// throttled, and responses carry security headers but name no software or version.
/// </summary>
public sealed class WebSecurityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly (string, string, string) Administrator = (WebGateway.Administrator, WebGateway.AdministratorPassword, "administrator");

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryFieldIsRefused()
    {
        await using var gateway = await WebGateway.StartAsync([Administrator]);
        var id = await gateway.HoldVirusAsync("invoices@elsewhere.test", "alice@example.test", "Invoice 2291", "Please find the invoice attached.");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(gateway.Url + "login");
        await Assertions.Expect(page.Locator("form:has(#login-submit) input[type=hidden][name=csrf]")).ToHaveCountAsync(1);
        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword);
        await page.GotoAsync(gateway.Url + "quarantine/" + id);
        await Assertions.Expect(page.Locator("form:has(#release) input[type=hidden][name=csrf]")).ToHaveCountAsync(1);

        // The very request the release button makes, with the session and antiforgery cookies
        // the context holds, but without the form's hidden field: what a forged cross-site form
        // would send if the browser let it carry the cookies.
        var release = await PostWithoutCsrfAsync(context, page.Locator("#release"));
        var logout = await PostWithoutCsrfAsync(context, page.Locator("#logout"));

        Assert.Equal(400, release.Status);
        Assert.Equal(400, logout.Status);
        Assert.NotNull(await gateway.HeldIdAsync("invoices@elsewhere.test"));
        Assert.Empty(gateway.Receiver.Messages());
        var stillIn = await page.GotoAsync(gateway.Url);
        Assert.Equal(gateway.Url, page.Url);
        Assert.Equal(200, stillIn?.Status);
    }

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyAndSameSiteStrict()
    {
        await using var gateway = await WebGateway.StartAsync([Administrator]);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword);

        var session = Assert.Single(await context.CookiesAsync(), cookie => cookie.Name == "moat_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain("moat_session", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedWrongPasswordsFromOneSourceAreThrottled()
    {
        // Low thresholds and no delays, so a handful of guesses reach the block quickly; the
        // mechanism is the same one the defaults drive.
        await using var gateway = await WebGateway.StartAsync([Administrator], configuration => configuration["accounts"] = new JsonObject
        {
            ["spraying"] = new JsonObject
            {
                ["slowScore"] = 3,
                ["blockScore"] = 3,
                ["minimumAccountsToBlock"] = 2,
                ["sourceSlowDelay"] = "00:00:00",
                ["accountBaseDelay"] = "00:00:00",
                ["accountMaximumDelay"] = "00:00:00",
            },
        });
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        string[] guesses = ["password", "12345678", "baseball", "football", "superman", "sunshine", "princess", "iloveyou"];
        var statuses = new List<int>();

        for (var attempt = 0; attempt < 40 && !statuses.Contains(429); attempt++)
        {
            await page.GotoAsync(gateway.Url + "login");
            await page.Locator("#username").FillAsync($"user{attempt % 5}@example.test");
            await page.Locator("#password").FillAsync(guesses[attempt % guesses.Length]);
            var response = await page.RunAndWaitForResponseAsync(
                () => page.Locator("#login-submit").ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.StartsWith(gateway.Url + "login", StringComparison.Ordinal));
            statuses.Add(response.Status);
            if (attempt == 0)
            {
                await Assertions.Expect(page.Locator("[role=alert]")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#login-submit")).ToBeVisibleAsync();
                await BrowserFixture.SaveScreenshotAsync(page, "login-failed");
            }
        }

        Assert.True(statuses.Contains(429), $"no 429 after {statuses.Count} wrong logins: {string.Join(", ", statuses)}\n{gateway.Moat.Output}");
        Assert.DoesNotContain(200, statuses);
        await BrowserFixture.SaveScreenshotAsync(page, "login-throttled");
    }

    [Fact]
    public async Task EveryResponseHasSecurityHeadersAndNamesNoSoftwareOrVersion()
    {
        var version = (await MoatProcess.RunAsync("version")).StandardOutput.Trim().Split(' ')[^1];
        await using var gateway = await WebGateway.StartAsync([Administrator]);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);

        var privacy = await page.GotoAsync(gateway.Url + "privacy");
        Assert.Equal(200, privacy?.Status);
        Assert.Equal(gateway.Url + "privacy", page.Url);
        await Assertions.Expect(page.Locator("h1")).Not.ToBeEmptyAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "privacy");
        var texts = new List<string> { await page.ContentAsync() };
        await page.GotoAsync(gateway.Url + "no-such-page");
        texts.Add(await page.ContentAsync());
        await gateway.LogInAsync(page, WebGateway.Administrator, WebGateway.AdministratorPassword);
        foreach (var path in new[] { string.Empty, "quarantine", "access-log", "privacy" })
        {
            await page.GotoAsync(gateway.Url + path);
            texts.Add(await page.ContentAsync());
        }

        Assert.NotEmpty(responses);
        foreach (var response in responses.Where(r => r.Url.StartsWith(gateway.Url, StringComparison.Ordinal)))
        {
            var headers = await response.AllHeadersAsync();
            var where = $"{response.Request.Method} {response.Url} ({response.Status})";
            Assert.True(headers.ContainsKey("content-security-policy"), where + " has no Content-Security-Policy");
            Assert.True(headers.TryGetValue("x-content-type-options", out var nosniff) && nosniff == "nosniff", where + " has no X-Content-Type-Options: nosniff");
            Assert.False(headers.ContainsKey("server"), where + " names its server: " + headers.GetValueOrDefault("server"));
            Assert.False(headers.ContainsKey("x-powered-by"), where + " has X-Powered-By");
            foreach (var (name, value) in headers.Where(h => h.Key != "set-cookie"))
            {
                foreach (var telltale in new[] { "kestrel", "asp.net", "moat", version })
                {
                    Assert.False(value.Contains(telltale, StringComparison.OrdinalIgnoreCase), $"{where}: header {name}: {value} names '{telltale}'");
                }
            }
        }

        foreach (var text in texts)
        {
            Assert.DoesNotContain("Kestrel", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ASP.NET", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(version, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Posts what the button's form would send, less the field named csrf, through the context (so with its cookies).</summary>
    private static async Task<IAPIResponse> PostWithoutCsrfAsync(IBrowserContext context, ILocator button)
    {
        // formAction falls back to the page's own address when the button has no formaction attribute, unlike the browser's submission.
        var action = await button.EvaluateAsync<string>("b => b.hasAttribute('formaction') ? b.formAction : b.form.action");
        var fields = JsonSerializer.Deserialize<string[][]>(
            await button.EvaluateAsync<string>("b => JSON.stringify(Array.from(new FormData(b.form, b)).filter(([k, v]) => k !== 'csrf' && typeof v === 'string'))"))!;
        var form = context.APIRequest.CreateFormData();
        foreach (var field in fields)
        {
            form.Append(field[0], field[1]);
        }

        return await context.APIRequest.PostAsync(action, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
    }
}
