using System.Collections.Concurrent;
using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>What the browser tests do on the app's pages, through the UI's stable hooks (labels, roles, test ids).</summary>
internal static class PageSteps
{
    /// <summary>How long a job of the test clip may take to reach 100 % (a busy 2-core machine).</summary>
    public const float JobTimeoutMs = 60_000;

    /// <summary>
    /// A page in a new 1000×900 context on <paramref name="site"/> (on https, certificate errors ignored: the test
    /// proxy's certificate is self-signed), adding each WebSocket it opens to <paramref name="sockets"/> (from
    /// Playwright's thread, so a queue a test may read meanwhile). Disposing its <see cref="IPage.Context"/> closes it.
    /// </summary>
    public static async Task<IPage> NewRecordedPageAsync(this IBrowser browser, Uri site, ConcurrentQueue<IWebSocket> sockets)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.ToString(),
            IgnoreHTTPSErrors = site.Scheme == Uri.UriSchemeHttps,
            ViewportSize = new ViewportSize { Width = 1000, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.WebSocket += (_, socket) => sockets.Enqueue(socket);
        return page;
    }

    public static ILocator Button(this IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The first overlay box of <paramref name="label"/>.</summary>
    public static ILocator Detection(this IPage page, string label) => page.Locator($"[data-testid=detection][data-label=\"{label}\"]").First;

    /// <summary>Opens the stream page and presses Start (Playwright waits until the circuit has enabled it).</summary>
    public static async Task StartStreamAsync(this IPage page, string path = "/", string? pipeline = "yolo")
    {
        await page.GotoAsync(path);
        if (pipeline is not null)
        {
            await page.GetByLabel("Pipeline").SelectOptionAsync(pipeline);
        }

        await page.Button("Start").ClickAsync();
    }

    /// <summary>Chooses a file once the upload form is live (a file set on the prerendered page would be replaced with it).</summary>
    public static async Task ChooseFileAsync(this IPage page, string path)
    {
        await Expect(page.Locator("input[type=file]")).ToBeEnabledAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(path);
    }

    /// <summary>
    /// Uploads the test clip from the /jobs page with yolo (every <paramref name="frameStride"/>-th frame when given)
    /// and waits until its row says completed at 100 %.
    /// </summary>
    public static async Task<ILocator> UploadClipAndWaitAsync(this IPage page, int? frameStride = null)
    {
        await page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        if (frameStride is { } stride)
        {
            await page.GetByLabel("Every n-th frame").FillAsync(stride.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await page.ChooseFileAsync(TestVideo.ClipPath);
        await page.Button("Upload").ClickAsync();
        var row = page.GetByTestId("job-row").First;
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = JobTimeoutMs });
        await Expect(row).ToHaveAttributeAsync("data-status", "completed");
        return row;
    }
}
