using Microsoft.Playwright;

namespace Moat.Cli.Tests.Support;

/// <summary>
/// One headless Debian chromium per test class (starting it costs about a second), driven by
/// Playwright; each test gets its own <see cref="IBrowserContext"/>, so cookies and sessions never
/// leak from one test into the next. Playwright's own browser download cannot work here (no
/// network but the package registries), hence Debian's build at a fixed path.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Where screenshots go, for a person to look at after a run; artifacts/ is ignored by git.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot.Directory, "artifacts", "screenshots");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        // A missing browser must fail the run, not skip it: skipped browser tests look like a pass.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing, so the browser tests cannot run: run scripts/install-test-deps (it installs the Debian package 'chromium').");
        }

        // Expectations wait this long by default: pages of a gateway on a loaded CI machine can be slow.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,

            // Chromium will not start its sandbox as root, which the tests run as here and in CI; the pages are our own.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh context (no cookies, no storage) with a generous default timeout for a loaded CI machine.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>Writes a full-page PNG to artifacts/screenshots/&lt;name&gt;.png and returns its path.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
