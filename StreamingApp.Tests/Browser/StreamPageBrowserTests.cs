using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// The stream page in Debian Chromium against the real app: a Blazor circuit over /_blazor, a fake camera playing a
/// COCO photo of buses and a person (ChromiumFixture), frames through the real /ws/video/stream and YOLOX pipeline.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StreamPageBrowserTests(ChromiumFixture chromium, BrowserAppFixture host, ITestOutputHelper output)
    : IAsyncLifetime
{
    private const float ResultTimeoutMs = 20_000;
    private const double OverlayOverServerTargetMs = 30;
    private readonly ConcurrentQueue<IWebSocket> _sockets = new();
    private IPage _page = default!;

    public async Task InitializeAsync() => _page = await chromium.Browser.NewRecordedPageAsync(host.App.BaseAddress, _sockets);

    public async Task DisposeAsync() => await _page.Context.DisposeAsync();

    private IWebSocket Socket(string path) => _sockets.Last(s => s.Url.Contains(path, StringComparison.Ordinal));

    private async Task StartAndSeeBusAsync()
    {
        await _page.StartStreamAsync();
        await Expect(_page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
    }

    /// <summary>Keeps the camera's MediaStream, to look at its tracks after the page let go of it.</summary>
    private Task HoldCameraStreamAsync() => _page.EvaluateAsync("() => { window.heldCamera = document.querySelector('video').srcObject; }");

    /// <summary>Stopping the camera is the page's last step after the stream closes, so it is awaited, not read once.</summary>
    private Task WaitForHeldCameraEndedAsync() => _page.WaitForFunctionAsync(
        "() => { const t = window.heldCamera.getTracks(); return t.length > 0 && t.every(x => x.readyState === 'ended'); }");

    /// <summary>Playwright learns of a close over its own channel, after the page's close event: awaited too.</summary>
    private static Task WaitForClosedAsync(IWebSocket socket)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Close += (_, _) => closed.TrySetResult();
        if (socket.IsClosed)
        {
            closed.TrySetResult();
        }

        return closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Start_YoloOnBusPhoto_OverlayShowsBusAndPersonOnTheVideoAndDebugPanelIsConnected()
    {
        await StartAndSeeBusAsync();

        await Expect(_page.Detection("person")).ToBeVisibleAsync();
        await Expect(_page.Detection("bus")).ToHaveTextAsync(CaptionRegex());
        await Expect(_page.GetByTestId("frame-index")).ToHaveTextAsync(FrameIndexRegex());
        await _page.Button("Debug").ClickAsync();
        var panel = _page.GetByTestId("debug-panel");
        await Expect(panel.GetByTestId("debug-status")).ToHaveTextAsync("connected");
        await Expect(panel.GetByTestId("debug-frames")).Not.ToHaveTextAsync("0");

        // The overlay draws in the video's displayed pixels: each box's x/y/width/height land exactly there on screen
        // (read in one synchronous step, between two overlay updates).
        var placement = await _page.EvaluateAsync<JsonElement>("""
            () => {
              const v = document.querySelector('video').getBoundingClientRect();
              const rect = document.querySelector('[data-testid=detection] rect.box');
              const r = rect.getBoundingClientRect();
              const a = (n) => parseFloat(rect.getAttribute(n));
              return { dx: r.left - v.left - a('x'), dy: r.top - v.top - a('y'), dw: r.width - a('width'), dh: r.height - a('height'),
                       overlayW: document.querySelector('.overlay svg').getBoundingClientRect().width - v.width };
            }
            """);
        foreach (var name in new[] { "dx", "dy", "dw", "dh", "overlayW" })
        {
            Assert.InRange(placement.GetProperty(name).GetDouble(), -1.5, 1.5);
        }

        await SaveScreenshotsAsync();
    }

    [Fact]
    public async Task Page_Streaming_RunsInABlazorCircuitAndFramesGoOnlyToTheStreamSocket()
    {
        // Playwright raises frame events on its own thread while the test reads: the test reads snapshots (ToArray).
        var sentOnCircuit = new ConcurrentQueue<IWebSocketFrame>();
        _page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.FrameSent += (_, frame) => sentOnCircuit.Enqueue(frame);
            }
        };
        var jpegSizes = new ConcurrentQueue<int>();
        _page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/ws/video/stream", StringComparison.Ordinal))
            {
                socket.FrameSent += (_, frame) => jpegSizes.Enqueue(frame.Binary?.Length ?? 0);
            }
        };

        await StartAndSeeBusAsync();
        var sentBeforeDebug = sentOnCircuit.Count;
        await _page.Button("Debug").ClickAsync();
        await Expect(_page.GetByTestId("debug-panel")).ToBeVisibleAsync();

        Assert.False(Socket("/_blazor").IsClosed);
        // The Debug button has no script of its own: its click went to .NET over the circuit, which rendered the panel.
        Assert.Contains(sentOnCircuit.ToArray().Skip(sentBeforeDebug), f => (f.Text ?? "").Contains("DispatchEventAsync", StringComparison.Ordinal));
        Assert.Null(await _page.Button("Debug").GetAttributeAsync("onclick"));
        // Camera frames (JPEG, tens of KB) go to the stream socket; the circuit only carries small messages.
        var frames = jpegSizes.ToArray();
        Assert.NotEmpty(frames);
        Assert.All(frames, size => Assert.True(size > 10_000, $"a {size}-byte frame"));
        Assert.All(sentOnCircuit.ToArray(), f => Assert.True((f.Binary?.Length ?? Encoding(f)) < 8_000, "a large message on the circuit"));
    }

    [Fact]
    public async Task Start_EachPipeline_FramesAreSentAtTheSizeItUses()
    {
        // The fake camera is 640×480. YOLOX sees 416×416, so yolo frames are sent at 416×312; OCR reads text at up to
        // 1920 px, so yolo_ocr frames are the camera's own size.
        var frames = new ConcurrentQueue<(string Pipeline, SKImageInfo Size)>();
        var ocrFrame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/ws/video/stream", StringComparison.Ordinal))
            {
                return;
            }

            var pipeline = socket.Url[(socket.Url.IndexOf("pipeline_id=", StringComparison.Ordinal) + "pipeline_id=".Length)..];
            socket.FrameSent += (_, frame) =>
            {
                if (frame.Binary is { } jpeg)
                {
                    frames.Enqueue((pipeline, SKBitmap.DecodeBounds(jpeg)));
                    if (pipeline == "yolo_ocr")
                    {
                        ocrFrame.TrySetResult();
                    }
                }
            };
        };

        await StartAndSeeBusAsync();
        await _page.GetByLabel("Pipeline").SelectOptionAsync("yolo_ocr");
        await ocrFrame.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(frames.Where(f => f.Pipeline == "yolo"), f => Assert.Equal((416, 312), (f.Size.Width, f.Size.Height)));
        Assert.All(frames.Where(f => f.Pipeline == "yolo_ocr"), f => Assert.Equal((640, 480), (f.Size.Width, f.Size.Height)));
        Assert.Contains(frames, f => f.Pipeline == "yolo");
    }

    [Fact]
    public async Task Start_ThenMeasure_EachRoundTripHoldsItsServerTimeAndOverlaysAreTimed()
    {
        await StartAndSeeBusAsync();
        // ~7 s at 15 FPS: fewer frames left the medians at the mercy of a few slow ones on this 2-core machine.
        await _page.WaitForFunctionAsync("() => window.streamingApp.stats.overlayLatencies.length >= 110", null, new() { Timeout = 90_000 });

        // The first 10 frames are left out: warm-up (JIT, first inference) is not the steady state.
        var stats = await _page.EvaluateAsync<JsonElement>("""
            () => ({ overlay: window.streamingApp.stats.overlayLatencies.slice(10),
                     overlayOverServer: window.streamingApp.stats.overlayOverServer.slice(10),
                     answer: window.streamingApp.stats.latencies.slice(10),
                     server: window.streamingApp.stats.serverTotals.slice(10) })
            """);
        var overlay = Values(stats.GetProperty("overlay"));
        var overlayOverServer = Values(stats.GetProperty("overlayOverServer"));
        var answer = Values(stats.GetProperty("answer"));
        var server = Values(stats.GetProperty("server"));

        // The target (overlay p50 within server p50 + 30 ms) is a speed figure: it is read off this output in a quiet
        // pass (docs/PERFORMANCE.md), never asserted here, where the machine may be busy with other work. Per frame
        // (its overlay less its own server time) is the same question asked without two medians.
        var overhead = Median(overlay) - Median(server);
        output.WriteLine($"capture-to-overlay p50 {Median(overlay):0.0} ms ({overlay.Count} frames), capture-to-answer p50 " +
            $"{Median(answer):0.0} ms, server total_ms p50 {Median(server):0.0} ms: server + {overhead:0.0} ms " +
            $"(target + {OverlayOverServerTargetMs} ms: {(overhead <= OverlayOverServerTargetMs ? "met" : "NOT met")}); " +
            $"per frame, overlay − its server time p50 {Median(overlayOverServer):0.0} ms");
        Assert.NotEmpty(overlay);
        // What must hold however busy the machine: each answer's round trip holds the server's time for that frame
        // (the two are recorded in pairs), and an overlay cannot show a frame before the frame was captured.
        Assert.Equal(answer.Count, server.Count);
        Assert.All(answer.Zip(server), pair => Assert.True(pair.First >= pair.Second, $"answered after {pair.First} ms, server {pair.Second} ms"));
        Assert.All(overlay, ms => Assert.True(ms > 0, $"overlay after {ms} ms"));
        Assert.Equal(overlay.Count, overlayOverServer.Count);
        Assert.All(overlayOverServer, ms => Assert.True(ms > 0, $"an overlay {ms} ms beyond its frame's server time"));
    }

    [Fact]
    public async Task Start_SlowestPipeline_PacedByItsAnswersSoFewFramesAreDropped()
    {
        // yolo_ocr takes a few hundred ms a frame here: more than the 5 FPS of slow_down. The page keeps at most two
        // frames awaiting their answers, and one after a drop, so the pipeline's pace sets the rate, not drops.
        await _page.StartStreamAsync(pipeline: "yolo_ocr");
        await _page.Button("Debug").ClickAsync();
        await _page.WaitForFunctionAsync("() => window.streamingApp.state().framesSent >= 25", null, new() { Timeout = 90_000 });

        var dropped = await _page.GetByTestId("debug-dropped").TextContentAsync();
        var answered = await _page.EvaluateAsync<long>("() => window.streamingApp.state().framesSent");
        output.WriteLine($"yolo_ocr: {answered} frames sent, dropped {dropped}, cap {await _page.GetByTestId("debug-throttle").TextContentAsync()}");
        var match = DroppedRegex().Match(dropped ?? "");
        Assert.True(match.Success, dropped);
        Assert.InRange(double.Parse(match.Groups["rate"].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 10);
    }

    [Fact]
    public async Task SelectPipeline_WhileStreaming_ReconnectsWithTheNewPipelineAndKeepsWorking()
    {
        await StartAndSeeBusAsync();
        await _page.Button("Debug").ClickAsync();

        await _page.GetByLabel("Pipeline").SelectOptionAsync(BrowserAppFixture.SecondPipeline);

        var panel = _page.GetByTestId("debug-panel");
        await Expect(panel.GetByTestId("debug-pipeline")).ToHaveTextAsync(BrowserAppFixture.SecondPipeline);
        await Expect(panel.GetByTestId("debug-status")).ToHaveTextAsync("connected", new() { Timeout = ResultTimeoutMs });
        await Expect(_page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await _page.WaitForFunctionAsync("() => window.streamingApp.state().framesSent > 3", null, new() { Timeout = ResultTimeoutMs });
        Assert.EndsWith("pipeline_id=" + BrowserAppFixture.SecondPipeline, Socket("/ws/video/stream").Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnavailablePipeline_ShowsBannerAndRetryRecovers()
    {
        await _page.StartStreamAsync("/?pipeline=nonexistent", pipeline: null);

        var alert = _page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("The selected pipeline is not available.", new() { Timeout = ResultTimeoutMs });
        await _page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        await _page.Button("Retry").ClickAsync();

        await Expect(alert).ToHaveCountAsync(0);
        await Expect(_page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
    }

    [Fact]
    public async Task Stop_WhileStreaming_EndsCameraTracksAndClosesSocket()
    {
        await StartAndSeeBusAsync();
        await HoldCameraStreamAsync();

        await _page.Button("Stop").ClickAsync();

        await Expect(_page.GetByTestId("stream-status")).ToHaveTextAsync("disconnected");
        await WaitForHeldCameraEndedAsync();
        await _page.WaitForFunctionAsync("() => !window.streamingApp.state().socketOpen");
        await WaitForClosedAsync(Socket("/ws/video/stream"));
    }

    [Fact]
    public async Task LeavePage_WhileStreaming_EndsCameraTracksAndClosesSocket()
    {
        await StartAndSeeBusAsync();
        await HoldCameraStreamAsync();

        await _page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();

        await Expect(_page).ToHaveURLAsync(JobsUrlRegex());
        await WaitForHeldCameraEndedAsync();
        await _page.WaitForFunctionAsync("() => !window.streamingApp.state().socketOpen");
    }

    [Fact]
    public async Task LostCircuit_WhileStreaming_ReconnectUiThenThePageWorksAgain()
    {
        await StartAndSeeBusAsync();
        await HoldCameraStreamAsync();
        var modal = _page.Locator("#components-reconnect-modal");

        // Offline, the circuit cannot come back at once: Blazor's reconnect dialog stays up while it retries.
        await _page.Context.SetOfflineAsync(true);
        await _page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");

        await Expect(modal).ToBeVisibleAsync();
        await Expect(modal).ToContainTextAsync("Connection to the server lost");
        await WaitForHeldCameraEndedAsync();
        await _page.WaitForFunctionAsync("() => !window.streamingApp.state().socketOpen");

        await _page.Context.SetOfflineAsync(false);
        await Expect(modal).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(_page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The connection to the server was lost.");
        await Expect(_page.GetByTestId("stream-status")).ToHaveTextAsync("disconnected");

        await _page.Button("Retry").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("stream-status")).ToHaveTextAsync("connected", new() { Timeout = ResultTimeoutMs });
        await _page.WaitForFunctionAsync("() => window.streamingApp.state().framesSent > 3", null, new() { Timeout = ResultTimeoutMs });
        await Expect(_page.Detection("bus")).ToBeVisibleAsync();
    }

    private static int Encoding(IWebSocketFrame frame) => System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? "");

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
        await _page.Locator(".debug").ScreenshotAsync(new() { Path = panel });
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

    [GeneratedRegex(@"^\s*bus \d{1,3}%\s*$")]
    private static partial Regex CaptionRegex();

    [GeneratedRegex(@"^frame \d+$")]
    private static partial Regex FrameIndexRegex();

    [GeneratedRegex(@"^\d+ \((?<rate>[\d.]+)%\)$")]
    private static partial Regex DroppedRegex();

    [GeneratedRegex("/jobs$")]
    private static partial Regex JobsUrlRegex();
}
