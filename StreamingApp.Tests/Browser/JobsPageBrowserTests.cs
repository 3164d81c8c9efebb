using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// /jobs and /jobs/{id} in Debian Chromium against the real app (real YOLOX, ffmpeg, SQLite, scheduler) on a fresh
/// data folder: upload over XMLHttpRequest, the list following the job to 100 % over the circuit, the job view's
/// replay synced to the video, and every page at a phone's width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class JobsPageBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const int PhoneWidth = 390;
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
    public async Task Upload_Clip_ProgressReaches100WithoutReloadAndJobViewReplaysBoxesOverTheVideo()
    {
        await _page.GotoAsync("/jobs");
        await _page.EvaluateAsync("() => { window.notReloaded = true; }");

        var row = await _page.UploadClipAndWaitAsync();

        Assert.True(await _page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the list updated in place");
        await Expect(_page.Locator(".upload-progress [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("is queued");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page.GetByTestId("job-summary")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("summary-frames")).ToHaveTextAsync(TestVideo.FrameCount.ToString(CultureInfo.InvariantCulture));
        await Expect(_page.GetByTestId("raw-json")).ToHaveAttributeAsync("href", RawJsonRegex());

        // Frame 0 shows the first photo (a bed); seeking to 7.1 s shows the last one (buses).
        await Expect(_page.Locator("[data-testid=detection][data-label=bed]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await _page.EvaluateAsync("() => { document.querySelector('video').currentTime = 7.1; }");
        await Expect(_page.Locator("[data-testid=detection][data-label=bus]").First).ToBeVisibleAsync();
        await Expect(_page.Locator("[data-testid=detection][data-label=bed]")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("frame-index")).ToHaveTextAsync("frame 35");
        await Expect(_page.Locator("[data-testid=detection][data-label=bus]").First).ToHaveTextAsync(CaptionRegex());
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Save frame" })).ToHaveAttributeAsync("href", SaveFrame35Regex());
    }

    [Fact]
    public async Task Upload_NotAnMp4_ShowsTheServerReasonInAnAlert()
    {
        await _page.GotoAsync("/jobs");

        await _page.ChooseFileAsync(TestPaths.CocoImage(TestVideo.Photos[0]));
        await _page.Button("Upload").ClickAsync();

        await Expect(_page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The file is not an MP4 video (no 'ftyp' box at its start).");
        await Expect(_page.GetByTestId("job-row")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Pages_AtAPhonesWidth_NothingRunsOffTheScreen()
    {
        await _page.SetViewportSizeAsync(PhoneWidth, 844);
        await _page.GotoAsync("/jobs");
        var row = await _page.UploadClipAndWaitAsync();

        await AssertFitsAsync("/jobs");
        var rowBox = await row.BoundingBoxAsync();
        Assert.InRange(rowBox!.X + rowBox.Width, 0, PhoneWidth);
        await SaveScreenshotAsync("jobs-phone.png");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page.GetByTestId("job-summary")).ToBeVisibleAsync();
        await AssertFitsAsync("the job view");

        await _page.GetByRole(AriaRole.Link, new() { Name = "Stream", Exact = true }).ClickAsync();
        await _page.Button("Start").ClickAsync();
        await Expect(_page.Locator("[data-testid=detection]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await AssertFitsAsync("/");
        await SaveScreenshotAsync("stream-phone.png");
    }

    // Nothing is wider than the viewport: the page cannot be scrolled sideways.
    private async Task AssertFitsAsync(string what)
    {
        var width = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= PhoneWidth, $"{what} is {width} px wide on a {PhoneWidth} px screen");
    }

    private async Task SaveScreenshotAsync(string name)
    {
        // Docs screenshots (docs/images) are refreshed on request only: STREAMINGAPP_SCREENSHOTS=1.
        if (Environment.GetEnvironmentVariable("STREAMINGAPP_SCREENSHOTS") == "1")
        {
            var path = Path.Combine(TestPaths.RepoRoot, "docs", "images", name);
            await _page.ScreenshotAsync(new() { Path = path });
            Ffmpeg.PalettizePng(path);
        }
    }

    [GeneratedRegex("^v1/video/results/")]
    private static partial Regex RawJsonRegex();

    [GeneratedRegex(@"^\s*bus \d{1,3}%\s*$")]
    private static partial Regex CaptionRegex();

    [GeneratedRegex(@"^v1/jobs/[0-9a-f-]{36}/frames/35\.jpg$")]
    private static partial Regex SaveFrame35Regex();
}
