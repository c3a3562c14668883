using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Moat.Cli.Tests.Support;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// /trust in the real <c>moat serve</c>, driven with plain HTTP as a browser without script
/// would: log in, use the forms, and check the result where the CLI and the access log see it.
/// </summary>
public sealed partial class TrustPagesTests : IAsyncLifetime
{
    private const string Alice = "alice@example.test";
    private const string Bob = "bob@example.test";
    private const string Root = "root@example.test";
    private const string AlicePassword = "alice walks to the harbour";
    private const string BobPassword = "bob rides the night bus";
    private const string RootPassword = "root keeps the lighthouse";

    private MoatProcess? moat;

    private MoatProcess Moat => moat ?? throw new InvalidOperationException("moat is not started.");

    public async Task InitializeAsync()
    {
        var configuration = GatewayConfiguration.Create();
        configuration["pipeline"] = new JsonObject { ["order"] = new JsonArray("size", "sender", "relay", "recipient-domains", "trust") };
        configuration["trust"] = new JsonObject { ["unknownSenders"] = "accept" };
        moat = await MoatProcess.StartAsync(configuration);
        await AddAccountAsync(Alice, AlicePassword, "user");
        await AddAccountAsync(Bob, BobPassword, "user");
        await AddAccountAsync(Root, RootPassword, "administrator");
        await WaitForWebAsync();
    }

    public async Task DisposeAsync()
    {
        if (moat is not null)
        {
            await moat.DisposeAsync();
        }
    }

    [Fact]
    public async Task AUserAddsAndRemovesAnEntryThroughTheForms()
    {
        using var alice = await LogInAsync(Alice, AlicePassword);

        var added = await PostAsync(alice, "trust/add", ("pattern", " Partner.TEST "), ("expiresInDays", "30"));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/trust?done=added&pattern=partner.test", added.Headers.Location?.OriginalString);
        var page = await alice.GetStringAsync("trust?done=added&pattern=partner.test");
        Assert.Contains("<tr data-pattern=\"partner.test\">", page, StringComparison.Ordinal);
        Assert.Contains("Added partner.test.", page, StringComparison.Ordinal);
        var listed = await Moat.RunCommandAsync("trust", "list", "--user", Alice);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Matches(@$"(?m)^{Regex.Escape(Alice)}\s+partner\.test\s+manual\s+\d{{4}}-\d\d-\d\d \d\d:\d\d\s+\d{{4}}-\d\d-\d\d \d\d:\d\d", listed.StandardOutput);

        var removed = await PostAsync(alice, "trust/remove", ("pattern", "partner.test"));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal("/trust?done=removed&pattern=partner.test", removed.Headers.Location?.OriginalString);
        var afterRemove = await Moat.RunCommandAsync("trust", "list", "--user", Alice);
        Assert.Contains($"No entries on {Alice}'s list.", afterRemove.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("data-pattern=\"partner.test\"", await alice.GetStringAsync("trust"), StringComparison.Ordinal);

        var log = await AccessLogAsync(Alice);
        Assert.Contains(log, e => e.Actor == Alice && e.Action == AccessActions.TrustChange && e.Detail!.StartsWith($"added partner.test to {Alice}'s list (manual, until ", StringComparison.Ordinal));
        Assert.Contains(log, e => e.Actor == Alice && e.Action == AccessActions.TrustChange && e.Detail == $"removed partner.test from {Alice}'s list");
    }

    [Fact]
    public async Task AMistakeIsShownOnThePageAndNothingIsStored()
    {
        using var alice = await LogInAsync(Alice, AlicePassword);

        var badPattern = await PostAsync(alice, "trust/add", ("pattern", "localhost"));
        var badExpiry = await PostAsync(alice, "trust/add", ("pattern", "partner.test"), ("expiresInDays", "0"));
        var notThere = await PostAsync(alice, "trust/remove", ("pattern", "never-added.test"));

        Assert.Equal(HttpStatusCode.BadRequest, badPattern.StatusCode);
        var page = await badPattern.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("is a single label", page, StringComparison.Ordinal);
        Assert.Contains("value=\"localhost\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badExpiry.StatusCode);
        Assert.Contains("whole number of days", await badExpiry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);
        Assert.Contains("never-added.test is not on your list", await notThere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"No entries on {Alice}'s list.", (await Moat.RunCommandAsync("trust", "list", "--user", Alice)).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserCannotOpenOrChangeSomeoneElsesList()
    {
        await Moat.RunCommandAsync("trust", "add", "bobs-partner.test", "--user", Bob);
        using var alice = await LogInAsync(Alice, AlicePassword);

        var bobsPage = await alice.GetAsync($"trust?owner={Uri.EscapeDataString(Bob)}");
        var organisation = await alice.GetAsync("trust?owner=%2A");
        var export = await alice.GetAsync($"trust/export?owner={Uri.EscapeDataString(Bob)}");
        var add = await PostAsync(alice, "trust/add", ("owner", Bob), ("pattern", "evil.test"));
        var remove = await PostAsync(alice, "trust/remove", ("owner", Bob), ("pattern", "bobs-partner.test"));
        var organisationAdd = await PostAsync(alice, "trust/add", ("owner", "*"), ("pattern", "evil.test"));

        Assert.Equal(HttpStatusCode.Forbidden, bobsPage.StatusCode);
        Assert.DoesNotContain("bobs-partner.test", await bobsPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, organisation.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, organisationAdd.StatusCode);
        var all = await Moat.RunCommandAsync("trust", "list");
        Assert.Contains("bobs-partner.test", all.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.test", all.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePagesNeedALoginAndFormsTheirCsrfField()
    {
        using var anonymous = NewSession();
        using var alice = await LogInAsync(Alice, AlicePassword);

        var notLoggedIn = await anonymous.GetAsync("trust");
        var withoutCsrf = await alice.PostAsync("trust/add", new FormUrlEncodedContent([new("pattern", "partner.test")]));

        Assert.Equal(HttpStatusCode.Redirect, notLoggedIn.StatusCode);
        Assert.Contains("/login?returnUrl=%2Ftrust", notLoggedIn.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutCsrf.StatusCode);
        Assert.Contains($"No entries on {Alice}'s list.", (await Moat.RunCommandAsync("trust", "list", "--user", Alice)).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactsAreImportedAndTheListIsExportedSafely()
    {
        using var alice = await LogInAsync(Alice, AlicePassword);
        const string vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol\r\nEMAIL;TYPE=work:Carol@Example.net\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Formula\r\nEMAIL:=1+2@example.net\r\nEMAIL:no address\r\nEND:VCARD\r\n";

        var imported = await ImportAsync(alice, Encoding.UTF8.GetBytes(vcard), "contacts.vcf");

        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal("/trust?done=imported&count=2&skipped=1", imported.Headers.Location?.OriginalString);
        Assert.Contains("Imported 2 entries; skipped 1 that was not an address.", await alice.GetStringAsync(imported.Headers.Location!.OriginalString.TrimStart('/')), StringComparison.Ordinal);
        var listed = (await Moat.RunCommandAsync("trust", "list", "--user", Alice)).StandardOutput;
        Assert.Matches(@"(?m)^\S+\s+carol@example\.net\s+contact\s", listed);

        var export = await alice.GetAsync("trust/export");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"trust-{Alice}.csv", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var csv = await export.Content.ReadAsStringAsync();
        Assert.StartsWith("owner,pattern,source,added,expires\r\n", csv, StringComparison.Ordinal);
        Assert.Contains($"{Alice},carol@example.net,contact,", csv, StringComparison.Ordinal);
        Assert.Contains($"{Alice},'=1+2@example.net,contact,", csv, StringComparison.Ordinal);

        var log = await AccessLogAsync(Alice);
        Assert.Contains(log, e => e.Action == AccessActions.TrustChange && e.Detail == $"imported 2 entries (1 invalid skipped) from contacts.vcf to {Alice}'s list");
        Assert.Contains(log, e => e.Action == AccessActions.Export && e.Actor == Alice && e.Detail == $"downloaded {Alice}'s list as CSV (2 entries)");
    }

    [Fact]
    public async Task AnImportLargerThanOneMebibyteIsRefused()
    {
        using var alice = await LogInAsync(Alice, AlicePassword);
        var large = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 80_000).Select(i => $"user{i}@example.net\r\n")));
        Assert.True(large.Length > 1024 * 1024);

        var response = await ImportAsync(alice, large, "huge.csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"No entries on {Alice}'s list.", (await Moat.RunCommandAsync("trust", "list", "--user", Alice)).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministratorEditsTheOrganisationsListAndAnyUsers()
    {
        using var root = await LogInAsync(Root, RootPassword);

        var organisation = await PostAsync(root, "trust/add", ("owner", "*"), ("pattern", "supplier.test"));
        var forAlice = await PostAsync(root, "trust/add", ("owner", Alice), ("pattern", "alices-bank.test"));
        var alicesPage = await root.GetStringAsync($"trust?owner={Uri.EscapeDataString(Alice)}");
        var typo = await root.GetAsync("trust?owner=alice%20at%20example.test");

        Assert.Equal(HttpStatusCode.Redirect, organisation.StatusCode);
        Assert.Equal("/trust?owner=*&done=added&pattern=supplier.test", organisation.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, forAlice.StatusCode);
        Assert.Contains("supplier.test", (await Moat.RunCommandAsync("trust", "list", "--organisation")).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("alices-bank.test", (await Moat.RunCommandAsync("trust", "list", "--user", Alice)).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("<tr data-pattern=\"alices-bank.test\">", alicesPage, StringComparison.Ordinal);
        Assert.Contains($"{Alice}&#x27;s list", alicesPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("not an e-mail address", await typo.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Alice can read who changed her list; nobody is the subject of the organisation's.
        var aliceLog = await AccessLogAsync(Alice);
        Assert.Contains(aliceLog, e => e.Actor == Root && e.Detail == $"added alices-bank.test to {Alice}'s list (manual)");
        var rootLog = await AccessLogAsync(subject: null, actor: Root);
        Assert.Contains(rootLog, e => e.DataSubjects.Count == 0 && e.Detail == "added supplier.test to the organisation's list (manual)");
    }

    private async Task AddAccountAsync(string name, string password, string role)
    {
        var result = await MoatProcess.RunWithInputAsync(
            password + "\n",
            "accounts", "add", name, "--role", role, "--config", Moat.ConfigFile, "--data", Moat.DataDirectory);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>The web listener is started by <c>moat serve</c> alongside SMTP; give it the same minute.</summary>
    private async Task WaitForWebAsync()
    {
        using var session = NewSession();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if ((await session.GetAsync("login")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"GET /login never answered 200:\n{Moat.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A browser without script: its own cookies, and redirects shown rather than followed.</summary>
    private (HttpClient Client, CookieContainer Cookies) NewClient()
    {
        var cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return (new HttpClient(handler) { BaseAddress = new Uri(Moat.Configuration.WebUrl()), Timeout = TimeSpan.FromSeconds(60) }, cookies);
    }

    private HttpClient NewSession() => NewClient().Client;

    /// <summary>GET /login for the csrf cookie and field, POST it back with the password; the session cookie stays in the container.</summary>
    private async Task<HttpClient> LogInAsync(string name, string password)
    {
        var (session, cookies) = NewClient();
        var csrf = Csrf(await session.GetStringAsync("login"));
        var response = await session.PostAsync("login", new FormUrlEncodedContent(
        [
            new("username", name),
            new("password", password),
            new("csrf", csrf),
        ]));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"POST /login answered {response.StatusCode}:\n{await response.Content.ReadAsStringAsync()}\n{Moat.Output}");
        Assert.Contains(cookies.GetCookies(session.BaseAddress!), c => c.Name == "moat_session");
        return session;
    }

    /// <summary>Posts a form as the page would: with the csrf field of a freshly loaded /trust.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient session, string path, params (string Name, string Value)[] fields)
    {
        var csrf = Csrf(await session.GetStringAsync("trust"));
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("csrf", csrf));
        return await session.PostAsync(path, new FormUrlEncodedContent(form));
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient session, byte[] file, string fileName)
    {
        var csrf = Csrf(await session.GetStringAsync("trust"));
        using var content = new MultipartFormDataContent
        {
            { new StringContent(csrf), "csrf" },
            { new StringContent("auto"), "format" },
        };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", fileName);
        return await session.PostAsync("trust/import", content);
    }

    private async Task<IReadOnlyList<AccessLogEntry>> AccessLogAsync(string? subject, string? actor = null)
    {
        using var storage = SqliteStorage.Open(Path.Combine(Moat.DataDirectory, SqliteStorage.DefaultFileName));
        return await storage.AccessLog.ListAsync(new AccessLogQuery(DataSubject: subject, Actor: actor, Limit: 1000), CancellationToken.None);
    }

    private static string Csrf(string html)
    {
        var match = CsrfField().Match(html);
        Assert.True(match.Success, $"No csrf field in:\n{html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
