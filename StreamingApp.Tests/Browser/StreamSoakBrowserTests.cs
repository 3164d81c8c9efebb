using System.Text.Json;
using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// Nothing accumulates while streaming: the socket's send buffer, the frames awaiting an answer, the page's DOM
/// and the process's managed heap stay flat. CI runs 20 s; the 2-minute run of issue 4 is the same test with
/// STREAMINGAPP_SOAK_SECONDS=120 (figures in docs/PERFORMANCE.md).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StreamSoakBrowserTests(ChromiumFixture chromium, BrowserAppFixture host, ITestOutputHelper output)
{
    private const string SampleScript = """
        () => ({ ...window.streamingApp.state(), nodes: document.getElementsByTagName('*').length,
                 latencies: window.streamingApp.stats.latencies.length })
        """;

    [Fact]
    public async Task Streaming_ForSoakDuration_NothingAccumulates()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("STREAMINGAPP_SOAK_SECONDS"), out var s) ? s : 20;
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = host.App.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForFunctionAsync("() => window.streamingApp !== undefined");
        await page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=detection]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var samples = new List<JsonElement>();
        for (var elapsed = 0; elapsed <= seconds; elapsed += 5)
        {
            samples.Add(await page.EvaluateAsync<JsonElement>(SampleScript));
            if (elapsed < seconds)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var first = samples[0];
        var last = samples[^1];
        var maxBuffered = 0L;
        var maxPending = 0L;
        foreach (var sample in samples)
        {
            maxBuffered = Math.Max(maxBuffered, sample.GetProperty("bufferedAmount").GetInt64());
            maxPending = Math.Max(maxPending, sample.GetProperty("pendingFrames").GetInt64());
        }

        var framesSent = last.GetProperty("framesSent").GetInt64();
        output.WriteLine($"{seconds} s: frames sent {framesSent} ({framesSent / (double)seconds:0.0} FPS), max bufferedAmount {maxBuffered} B, " +
            $"max frames awaiting an answer {maxPending}, DOM nodes {first.GetProperty("nodes")} → {last.GetProperty("nodes")}, " +
            $"managed heap {heapBefore / 1048576.0:0.0} → {heapAfter / 1048576.0:0.0} MiB");

        Assert.True(framesSent > seconds, "frames kept flowing");
        // The page lets at most 2 frames wait for an answer (MAX_IN_FLIGHT in realtime.js).
        Assert.InRange(maxPending, 0, 2);
        Assert.InRange(maxBuffered, 0, 256 * 1024);
        Assert.InRange(last.GetProperty("nodes").GetInt32(), 0, first.GetProperty("nodes").GetInt32() + 20);
        Assert.InRange(heapAfter - heapBefore, long.MinValue, 16L * 1024 * 1024);
    }
}
