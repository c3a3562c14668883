using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// The real gateway for browser tests: every client is an untrusted stranger, mail for
/// example.test goes to an aiosmtpd receiver, the antivirus holds infected inbound mail in
/// quarantine, and accounts are made with <c>moat accounts add</c> before <c>moat serve</c> starts.
/// </summary>
public sealed class WebGateway : IAsyncDisposable
{
    public const string Administrator = "admin@example.test";
    public const string AdministratorPassword = "violet-harbour-1893";
    public const string Bob = "bob@example.test";
    public const string BobPassword = "amber-quarry-5062";
    public const string Carol = "carol@example.test";
    public const string CarolPassword = "saffron-lighthouse-7314";

    /// <summary>Generous: a loaded CI machine with several gateways and browsers at once must not fail a test.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private readonly TempFolder files = new("moat-web");

    private WebGateway(MoatProcess moat, AioSmtpdServer receiver)
    {
        Moat = moat;
        Receiver = receiver;
    }

    public MoatProcess Moat { get; }

    /// <summary>The internal mail server: where mail for example.test, released mail included, is delivered.</summary>
    public AioSmtpdServer Receiver { get; }

    /// <summary>The web admin's base URL, ending in a slash.</summary>
    public string Url => Moat.Configuration.WebUrl();

    /// <param name="accounts">(name, password, role) of the accounts to add before the gateway starts.</param>
    /// <param name="configure">Changes to the configuration on top of the defaults here.</param>
    public static async Task<WebGateway> StartAsync(IEnumerable<(string Name, string Password, string Role)> accounts, Action<JsonObject>? configure = null)
    {
        var receiver = await AioSmtpdServer.StartAsync();
        try
        {
            var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(receiver.Port)).TrustNoClient();
            configuration["antivirus"] = new JsonObject { ["inbound"] = new JsonObject { ["action"] = "quarantine" } };
            configure?.Invoke(configuration);

            // The accounts go in first, through the same command an administrator uses, so the
            // gateway meets them as it would after an installation.
            var folder = Directory.CreateTempSubdirectory("moat-e2e-").FullName;
            var configFile = Path.Combine(folder, "moat.json");
            var dataDirectory = Path.Combine(folder, "data");
            Directory.CreateDirectory(dataDirectory);
            await File.WriteAllTextAsync(configFile, configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            foreach (var (name, password, role) in accounts)
            {
                var added = await MoatProcess.RunWithInputAsync(password + "\n", "accounts", "add", name, "--role", role, "--config", configFile, "--data", dataDirectory);
                Assert.True(added.ExitCode == 0, $"moat accounts add {name}: {added}");
            }

            return new WebGateway(await MoatProcess.StartAsync(configuration, folder), receiver);
        }
        catch
        {
            receiver.Dispose();
            throw;
        }
    }

    /// <summary>Sends a clean message from a stranger through the gateway.</summary>
    public async Task SendAsync(string from, string to, string subject)
    {
        var sent = await Swaks.RunAsync(
            Moat.Configuration.SmtpPort(),
            "--from", from, "--to", to, "--header", $"Subject: {subject}", "--body", $"Body of {subject}.");
        Assert.True(sent.ExitCode == 0, sent.ToString());
    }

    /// <summary>Sends a message with the EICAR test file attached, which the antivirus holds; returns its queue id.</summary>
    /// <param name="from">A sender address used for no other message of the test: the queue listing names messages by sender.</param>
    public async Task<string> HoldVirusAsync(string from, string to, string subject, string body)
    {
        var attachment = files.Combine(Guid.NewGuid().ToString("N") + ".com");
        await File.WriteAllTextAsync(attachment, Eicar);
        var sent = await Swaks.RunAsync(
            Moat.Configuration.SmtpPort(),
            "--from", from, "--to", to, "--header", $"Subject: {subject}", "--body", body, "--attach", attachment);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        return await HeldIdAsync(from) ?? throw new InvalidOperationException($"no held message from {from}:\n{(await Moat.RunCommandAsync("queue", "list")).StandardOutput}\n{Moat.Output}");
    }

    /// <summary>The queue id of the held message from this sender, or null when there is none.</summary>
    public async Task<string?> HeldIdAsync(string from)
    {
        var list = await Moat.RunCommandAsync("queue", "list");
        Assert.True(list.ExitCode == 0, list.ToString());

        // ID STATE SIZE AGE RCPT SENDER; a last-error line, when there is one, follows indented.
        return list.StandardOutput.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[1] == "hold" && fields[5] == from)
            .Select(fields => fields[0])
            .SingleOrDefault();
    }

    /// <summary>
    /// Waits until the message from <paramref name="from"/> is deferred (its route must lead to a
    /// server that is down), then holds it with <c>moat queue hold</c>: held mail that is clean.
    /// </summary>
    public async Task<string> HoldByHandAsync(string from)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var list = await Moat.RunCommandAsync("queue", "list");
            var id = list.StandardOutput.Split('\n')
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && fields[1] == "deferred" && fields[5] == from)
                .Select(fields => fields[0])
                .SingleOrDefault();
            if (id is not null)
            {
                var hold = await Moat.RunCommandAsync("queue", "hold", id);
                Assert.True(hold.ExitCode == 0, hold.ToString());
                return id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no deferred message from {from}:\n{list.StandardOutput}");
            await Task.Delay(100);
        }
    }

    /// <summary>Logs in through the login form and waits for the first page: the dashboard for administrators, the quarantine for users.</summary>
    public async Task LogInAsync(IPage page, string name, string password, string? screenshot = null)
    {
        await page.GotoAsync(Url + "login");
        await page.Locator("#username").FillAsync(name);
        await page.Locator("#password").FillAsync(password);
        if (screenshot is not null)
        {
            await BrowserFixture.SaveScreenshotAsync(page, screenshot);
        }

        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(Url) + "(quarantine)?$"));
        await Assertions.Expect(page.Locator("#logout")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Moat.DisposeAsync();
        Receiver.Dispose();
        files.Dispose();
    }
}
