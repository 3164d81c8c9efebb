using System.Diagnostics;
using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// A rolling restart as the person on the stream page sees it: two real app processes, nginx (deploy/nginx.conf,
/// TLS) in front; the operator points nginx at the new instance and stops the old one with SIGTERM while the page
/// streams through it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RollingRestartBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    // The old instance is gone within 5 s of SIGTERM (GracefulStopTests), so is its circuit: the page must say so by then.
    private const float LostWithinMs = 5_000;
    private const float ResultTimeoutMs = 20_000;

    [Fact]
    public async Task SigTerm_PageStreamingThroughNginx_SaysConnectionLostAtOnceAndAfterReloadStreamsFromTheNextInstance()
    {
        var starting = new[] { AppProcess.StartAsync(), AppProcess.StartAsync() };
        await using var old = await starting[0];
        await using var next = await starting[1];
        using var nginx = new NginxProxy(old.BaseAddress);
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = nginx.BaseAddress.ToString(), IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await page.StartStreamAsync();
        await Expect(page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        var modal = page.Locator("#components-reconnect-modal");

        nginx.Reroute(next.BaseAddress);
        var signalled = Stopwatch.StartNew();
        old.Terminate();

        await Expect(modal).ToBeVisibleAsync(new() { Timeout = LostWithinMs });
        var lostAfter = signalled.ElapsedMilliseconds;
        await Expect(modal).ToContainTextAsync("Connection to the server lost");
        await page.WaitForFunctionAsync("() => !window.streamingApp.state().socketOpen");
        // Blazor's reconnect reaches the next instance, which has no such circuit: the dialog offers a reload.
        await modal.GetByRole(AriaRole.Button, new() { Name = "Reload the page" }).ClickAsync(new() { Timeout = ResultTimeoutMs });
        var reloadAfter = signalled.ElapsedMilliseconds;
        await page.GetByLabel("Pipeline").SelectOptionAsync("yolo");
        await page.Button("Start").ClickAsync();
        await Expect(page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        output.WriteLine($"reconnect dialog {lostAfter} ms after SIGTERM, reload offered and pressed after {reloadAfter} ms, " +
            $"detections again after {signalled.ElapsedMilliseconds} ms");

        await Expect(page.GetByTestId("stream-status")).ToHaveTextAsync("connected");
        Assert.True(old.HasExited, "the old instance still runs");
        Assert.Equal(0, old.ExitCode);
    }
}
