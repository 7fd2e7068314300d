using PuppeteerSharp;

namespace Seamless.Tests.Browser;

/// <summary>
/// One headless chromium for a test class, and pages that record what a user would notice: console errors, uncaught
/// exceptions, failed requests (and HTTP errors), and dialogs (an <c>alert</c> means injected script ran).
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    public static string? Executable { get; } =
        Environment.GetEnvironmentVariable("SEAMLESS_CHROMIUM") is { Length: > 0 } custom && File.Exists(custom) ? custom
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public async Task InitializeAsync()
    {
        if (Executable is null)
        {
            return;
        }

        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            await _browser.DisposeAsync();
        }
    }

    /// <summary>A page of 1400 × 900 with its problems recorded in <paramref name="problems"/>.</summary>
    public async Task<IPage> PageAsync(List<string> problems)
    {
        var page = await Browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                Add(problems, $"console error: {e.Message.Text}");
            }
        };
        page.PageError += (_, e) => Add(problems, $"page error: {e.Message}");
        page.RequestFailed += (_, e) =>
        {
            // The event stream is cut when the page closes or navigates: not a failure the user sees.
            if (!e.Request.Url.Contains("/api/events", StringComparison.Ordinal))
            {
                Add(problems, $"request failed: {e.Request.Url} {e.Request.FailureText}");
            }
        };
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                Add(problems, $"HTTP {(int)e.Response.Status}: {e.Response.Url}");
            }
        };
        page.Dialog += async (_, e) =>
        {
            Add(problems, $"dialog: {e.Dialog.Message}");
            await e.Dialog.Dismiss();
        };
        return page;
    }

    private static void Add(List<string> problems, string problem)
    {
        lock (problems)
        {
            problems.Add(problem);
        }
    }

    /// <summary>Where tests save screenshots for the docs, when <c>SEAMLESS_SCREENSHOTS</c> names a folder.</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("SEAMLESS_SCREENSHOTS") is { Length: > 0 } f ? f : null;
}
