using Microsoft.Playwright;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), with a fake camera that plays a y4m made
/// by ffmpeg from a COCO photo (buses and a person), 640×480.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string CameraPhoto = "000000001584.jpg";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "streamingapp-ui-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(_dir);
        var y4m = Path.Combine(_dir, "camera.y4m");
        Ffmpeg.StillToY4m(TestPaths.CocoImage(CameraPhoto), y4m, seconds: 2);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + y4m, "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                // For the soak: exact performance.memory figures, and window.gc() to measure the heap after a collection.
                "--enable-precise-memory-info", "--js-flags=--expose-gc",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
