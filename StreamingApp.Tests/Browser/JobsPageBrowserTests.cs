using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// /jobs in Debian Chromium against the real app (real YOLOX, ffmpeg, SQLite, scheduler) on a fresh data folder: upload over
/// XMLHttpRequest, the list pushed by the server to 100 %, then the job view's overlay synced to the video.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JobsPageBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const float JobTimeoutMs = 60_000;
    private KestrelAppHost _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        // Its own app, so its own empty jobs data folder (StreamingAppFactory gives each app one).
        _app = new KestrelAppHost();
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1000, Height = 1000 },
        });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        _app.Dispose();
    }

    [Fact]
    public async Task Upload_Clip_ProgressReaches100WithoutReloadAndJobViewDrawsBoxesOverTheVideo()
    {
        await _page.GotoAsync("/jobs");
        await _page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        await _page.EvaluateAsync("() => { window.notReloaded = true; }");

        await _page.Locator("input[type=file]").SetInputFilesAsync(TestVideo.ClipPath);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var row = _page.GetByTestId("job-row").First;
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = JobTimeoutMs });
        await Expect(row).ToHaveAttributeAsync("data-status", "completed");
        Assert.True(await _page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the list updated in place");
        await Expect(_page.Locator("[data-upload-progress] [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page.GetByTestId("job-summary")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("summary-frames")).ToHaveTextAsync(TestVideo.FrameCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(_page.GetByTestId("raw-json")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^v1/video/results/"));
        await Expect(_page.Locator("[data-job-view]")).ToHaveAttributeAsync("data-overlay-ready", "true");

        // Frame 0 shows the first photo (a bed); seeking to 7.1 s shows the last one (buses).
        await Expect(_page.Locator("[data-testid=detection][data-label=bed]")).ToBeVisibleAsync();
        await _page.EvaluateAsync("() => { document.querySelector('video').currentTime = 7.1; }");
        await Expect(_page.Locator("[data-testid=detection][data-label=bus]").First).ToBeVisibleAsync();
        await Expect(_page.Locator("[data-testid=detection][data-label=bed]")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("frame-index")).ToHaveTextAsync("frame 35");
        await Expect(_page.Locator("[data-testid=detection][data-label=bus]").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^bus \d{1,3}%$"));
    }

    [Fact]
    public async Task Upload_NotAnMp4_ShowsTheServerReasonInAnAlert()
    {
        await _page.GotoAsync("/jobs");

        await _page.Locator("input[type=file]").SetInputFilesAsync(TestPaths.CocoImage(TestVideo.Photos[0]));
        await _page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The file is not an MP4 video (no 'ftyp' box at its start).");
        await Expect(_page.GetByTestId("job-row")).ToHaveCountAsync(0);
    }
}
