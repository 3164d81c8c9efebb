using System.Text.Json;
using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// The stream page in Debian Chromium against the real app: a fake camera plays a COCO photo of buses and a
/// person (ChromiumFixture), frames go through the real /ws/video/stream and the real YOLOX pipeline.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StreamPageBrowserTests(ChromiumFixture chromium, BrowserAppFixture host, ITestOutputHelper output)
    : IAsyncLifetime
{
    private const float ResultTimeoutMs = 20_000;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1000, Height = 900 },
        });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private ILocator Button(string name) => _page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private ILocator Detection(string label) => _page.Locator($"[data-testid=detection][data-label=\"{label}\"]").First;

    private async Task StartAsync(string path, string? pipeline)
    {
        await _page.GotoAsync(path);
        // The page's live connection is up once the script has rendered the status region.
        await _page.WaitForFunctionAsync("() => window.streamingApp !== undefined");
        if (pipeline is not null)
        {
            await _page.GetByLabel("Pipeline").SelectOptionAsync(pipeline);
        }

        await Button("Start").ClickAsync();
    }

    [Fact]
    public async Task Start_YoloOnBusPhoto_OverlayShowsBusAndPersonAndDebugPanelIsConnected()
    {
        await StartAsync("/", "yolo");

        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await Expect(Detection("person")).ToBeVisibleAsync();
        await Expect(Detection("bus")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*bus \d{1,3}%\s*$"));
        await Expect(_page.GetByTestId("frame-index")).ToBeVisibleAsync();

        await Button("Debug").ClickAsync();
        var panel = _page.GetByTestId("debug-panel");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("debug-status")).ToHaveTextAsync("connected");
        await Expect(panel.GetByTestId("debug-frames")).Not.ToHaveTextAsync("0");

        // The overlay scales with the displayed video: a box's normalized x/y/w/h land at those fractions of the
        // video element's on-screen box (read in one synchronous step, between two overlay updates).
        var placement = await _page.EvaluateAsync<JsonElement>("""
            () => {
              const v = document.querySelector('video').getBoundingClientRect();
              const rect = document.querySelector('[data-testid=detection] rect');
              const r = rect.getBoundingClientRect();
              const a = (n) => parseFloat(rect.getAttribute(n));
              return { dx: r.left - (v.left + a('x') * v.width), dy: r.top - (v.top + a('y') * v.height),
                       dw: r.width - a('width') * v.width, dh: r.height - a('height') * v.height };
            }
            """);
        foreach (var name in new[] { "dx", "dy", "dw", "dh" })
        {
            Assert.InRange(placement.GetProperty(name).GetDouble(), -1.5, 1.5);
        }

        await SaveScreenshotsAsync();
    }

    [Fact]
    public async Task Start_ThenMeasure_CaptureToOverlayLatencyIsRecorded()
    {
        await StartAsync("/", "yolo");
        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await _page.WaitForFunctionAsync("() => window.streamingApp.stats.overlayLatencies.length >= 100", null, new() { Timeout = 30_000 });

        // The first 10 frames are left out: warm-up (JIT, first inference) is not the steady state.
        var stats = await _page.EvaluateAsync<JsonElement>("""
            () => ({ overlay: window.streamingApp.stats.overlayLatencies.slice(10),
                     answer: window.streamingApp.stats.latencies.slice(10),
                     server: window.streamingApp.stats.serverTotals.slice(10) })
            """);
        var overlay = Values(stats.GetProperty("overlay"));
        var answer = Values(stats.GetProperty("answer"));
        var server = Values(stats.GetProperty("server"));

        Assert.NotEmpty(overlay);
        Assert.All(overlay, l => Assert.True(l > 0));
        output.WriteLine($"capture-to-overlay p50 {Median(overlay):0.0} ms ({overlay.Count} frames), capture-to-answer p50 " +
            $"{Median(answer):0.0} ms, server total_ms p50 {Median(server):0.0} ms");
    }

    [Fact]
    public async Task SelectPipeline_WhileStreaming_ReconnectsWithNewPipelineAndKeepsWorking()
    {
        await StartAsync("/", "yolo");
        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await Button("Debug").ClickAsync();

        await _page.GetByLabel("Pipeline").SelectOptionAsync(BrowserAppFixture.SecondPipeline);

        var panel = _page.GetByTestId("debug-panel");
        await Expect(panel.Locator("dd").Nth(1)).ToHaveTextAsync(BrowserAppFixture.SecondPipeline);
        await Expect(panel.GetByTestId("debug-status")).ToHaveTextAsync("connected", new() { Timeout = ResultTimeoutMs });
        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await _page.WaitForFunctionAsync("() => window.streamingApp.state().framesSent > 3", null, new() { Timeout = ResultTimeoutMs });
    }

    [Fact]
    public async Task Start_UnavailablePipeline_ShowsBannerAndRetryRecovers()
    {
        await StartAsync("/?pipeline=nonexistent", pipeline: null);

        var alert = _page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("The selected pipeline is not available.", new() { Timeout = ResultTimeoutMs });
        await _page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        await Button("Retry").ClickAsync();

        await Expect(alert).ToHaveCountAsync(0);
        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
    }

    [Fact]
    public async Task Stop_WhileStreaming_EndsCameraTracksAndClosesSocket()
    {
        await StartAsync("/", "yolo");
        await Expect(Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });

        await Button("Stop").ClickAsync();

        await Expect(_page.GetByTestId("stream-status")).ToHaveTextAsync("disconnected");
        var tracksEnded = await _page.EvaluateAsync<bool>(
            "() => { const s = document.querySelector('video').srcObject; return !!s && s.getTracks().length > 0 && s.getTracks().every(t => t.readyState === 'ended'); }");
        var state = await _page.EvaluateAsync<JsonElement>("() => window.streamingApp.state()");
        Assert.True(tracksEnded);
        Assert.False(state.GetProperty("socketOpen").GetBoolean());
        Assert.False(state.GetProperty("cameraLive").GetBoolean());
    }

    private async Task SaveScreenshotsAsync()
    {
        // Docs screenshots (docs/images) are refreshed on request only: STREAMINGAPP_SCREENSHOTS=1.
        if (Environment.GetEnvironmentVariable("STREAMINGAPP_SCREENSHOTS") != "1")
        {
            return;
        }

        // A few seconds in, so the debug figures are the steady state's.
        await _page.WaitForFunctionAsync("() => window.streamingApp.state().framesSent >= 45", null, new() { Timeout = 30_000 });
        var dir = Path.Combine(TestPaths.RepoRoot, "docs", "images");
        Directory.CreateDirectory(dir);
        await _page.SetViewportSizeAsync(600, 660);
        var page = Path.Combine(dir, "stream-page.png");
        var panel = Path.Combine(dir, "debug-panel.png");
        await _page.ScreenshotAsync(new() { Path = page });
        // The region, not the panel: the panel is re-rendered with every answer.
        await _page.Locator("[data-region=debug]").ScreenshotAsync(new() { Path = panel });
        Ffmpeg.PalettizePng(page);
        Ffmpeg.PalettizePng(panel);
    }

    private static List<double> Values(JsonElement array)
    {
        var list = new List<double>();
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                list.Add(e.GetDouble());
            }
        }

        return list;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        var m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
