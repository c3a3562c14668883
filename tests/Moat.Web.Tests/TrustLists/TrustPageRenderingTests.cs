using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Storage.Trust;
using Moat.Web.Pages;
using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

/// <summary>The page as HTML: the ids the browser tests use, and nothing the strict CSP would block.</summary>
public sealed partial class TrustPageRenderingTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services = new ServiceCollection()
        .AddLogging()
        .AddAntiforgery()
        .BuildServiceProvider();

    [Fact]
    public async Task AUserSeesTheirEntriesAndTheFormsButNoChallenges()
    {
        var html = await RenderAsync(Model(
            [
                new TrustEntry("alice@example.test", "example.org", TrustSource.Manual, Now.AddDays(-1)),
                new TrustEntry("alice@example.test", "bob@example.net", TrustSource.Learned, Now.AddDays(-9), Now.AddDays(-2)),
            ],
            administrator: false));

        Assert.Contains("id=\"trust-entries\"", html);
        Assert.Contains("<tr data-pattern=\"example.org\">", html);
        Assert.Contains("<tr data-pattern=\"bob@example.net\">", html);
        Assert.Contains("(expired)", html);
        Assert.Contains("id=\"trust-pattern\"", html);
        Assert.Contains("id=\"trust-add\"", html);
        Assert.Contains("action=\"/trust/remove\"", html);
        Assert.Contains("enctype=\"multipart/form-data\"", html);
        Assert.Contains("href=\"/trust/export\"", html);
        Assert.Contains("<h2 id=\"trust-heading\">Your list</h2>", html);
        Assert.DoesNotContain("pending-challenges", html);
        Assert.DoesNotContain("trust-owner", html);
    }

    [Fact]
    public async Task AnAdministratorSeesTheListPickerAndThePendingChallenges()
    {
        var html = await RenderAsync(Model(
            [],
            administrator: true,
            owner: "alice@example.test",
            challenges: [new PendingChallenge("carol@stranger.test", "alice@example.test", Now.AddDays(-1), Now.AddDays(13))]));

        Assert.Contains("id=\"pending-challenges\"", html);
        Assert.Contains("<tr data-sender=\"carol@stranger.test\">", html);
        Assert.Contains("<h2 id=\"trust-heading\">alice@example.test&#x27;s list</h2>", html);
        Assert.Contains("2026-03-14 12:00", html);
        Assert.Contains("<option value=\"root@example.test\">", html);
        Assert.Contains("No entries yet.", html);
        Assert.Contains("href=\"/trust/export?owner=alice%40example.test\"", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"owner\" value=\"alice@example.test\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageNeedsNoInlineScriptOrStyle()
    {
        var html = await RenderAsync(Model(
            [new TrustEntry("alice@example.test", "example.org", TrustSource.Manual, Now)],
            administrator: true,
            challenges: []));

        Assert.DoesNotMatch(InlineStyleOrScript(), html);
    }

    [Fact]
    public async Task AMistakeIsShownWithWhatWasTyped()
    {
        var html = await RenderAsync(
            Model([], administrator: false) with { Pattern = "\"><b>x", ExpiresInDays = "0" },
            error: "The expiry must be a whole number.");

        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("The expiry must be a whole number.", html);
        Assert.Contains("value=\"&quot;&gt;&lt;b&gt;x\"", html);
        Assert.DoesNotContain("<b>x", html);
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();

    private static TrustPageModel Model(IReadOnlyList<TrustEntry> entries, bool administrator, string owner = "alice@example.test", IReadOnlyList<PendingChallenge>? challenges = null) =>
        new(
            owner,
            owner == "alice@example.test" && !administrator ? "your list" : $"{owner}'s list",
            administrator ? owner : string.Empty,
            administrator,
            entries,
            administrator ? ["alice@example.test", "root@example.test"] : [],
            challenges,
            0,
            Now);

    private async Task<string> RenderAsync(TrustPageModel model, string? error = null)
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TrustPage>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(TrustPage.Model)] = model,
                [nameof(TrustPage.Error)] = error,
            }));
            return output.ToHtmlString();
        });
    }

    [GeneratedRegex(@"\sstyle\s*=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrScript();
}
