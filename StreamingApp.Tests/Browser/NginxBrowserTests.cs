using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using StreamingApp.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace StreamingApp.Tests.Browser;

/// <summary>
/// What a person gets in Debian Chromium through Debian's nginx running deploy/nginx.conf with TLS (self-signed: the
/// browser context ignores certificate errors), in front of the real app: the page's circuit and its stream over
/// <c>wss://</c>, an upload that completes and replays, and a page of another site refused by the app itself.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NginxBrowserTests(ChromiumFixture chromium, ProxiedApp site) : IClassFixture<ProxiedApp>, IAsyncLifetime
{
    private const float ResultTimeoutMs = 20_000;
    private const string OtherSite = "https://other-site.example";
    private readonly ConcurrentQueue<IWebSocket> _sockets = new();
    private IPage _page = default!;

    public async Task InitializeAsync() => _page = await chromium.Browser.NewRecordedPageAsync(site.Nginx.BaseAddress, _sockets);

    public async Task DisposeAsync() => await _page.Context.DisposeAsync();

    /// <summary>wss://the proxy's host and <paramref name="path"/>: what the page's socket must be.</summary>
    private string Wss(string path) => site.Nginx.WebSocketUri(path).ToString();

    [Fact]
    public async Task StreamPage_ThroughNginxWithTls_CircuitAndStreamOnWssAndOverlayShowsDetections()
    {
        await _page.StartStreamAsync();

        await Expect(_page.Detection("bus")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await Expect(_page.Detection("person")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("stream-status")).ToHaveTextAsync("connected");
        var circuit = Assert.Single(_sockets, s => s.Url.Contains("/_blazor", StringComparison.Ordinal));
        var stream = Assert.Single(_sockets, s => s.Url.Contains("/ws/video/stream", StringComparison.Ordinal));
        Assert.StartsWith(Wss("/_blazor"), circuit.Url, StringComparison.Ordinal);
        Assert.Equal(Wss("/ws/video/stream?pipeline_id=yolo"), stream.Url);
        Assert.False(circuit.IsClosed);
        Assert.False(stream.IsClosed);
    }

    [Fact]
    public async Task Upload_ThroughNginxWithTls_CompletesAndJobPageReplaysBoxesOverTheVideo()
    {
        await _page.GotoAsync("/jobs");

        // Every 5th frame is enough: frame 0 shows the first photo (a bed), frame 35 the last one (buses).
        var row = await _page.UploadClipAndWaitAsync(frameStride: 5);
        await row.GetByRole(AriaRole.Link).ClickAsync();

        // Seeking needs the video served in ranges through nginx.
        await Expect(_page.GetByTestId("summary-frames")).ToHaveTextAsync((TestVideo.FrameCount / 5).ToString(CultureInfo.InvariantCulture));
        await Expect(_page.Detection("bed")).ToBeVisibleAsync(new() { Timeout = ResultTimeoutMs });
        await _page.EvaluateAsync("() => { document.querySelector('video').currentTime = 7.1; }");
        await Expect(_page.Detection("bus")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("frame-index")).ToHaveTextAsync("frame 35");
    }

    [Fact]
    public async Task Stream_PageOfAnotherSite_HandshakeRefused403()
    {
        // A page of another site that the person allowed to reach local addresses (so Chromium's own Local Network
        // Access block does not stop it first): only the app's Origin check stands between it and the stream.
        await _page.RouteAsync(OtherSite + "/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>Another site</title>" }));
        await _page.Context.GrantPermissionsAsync(["local-network-access"], new() { Origin = OtherSite });
        var errors = new List<string>();
        _page.WebSocket += (_, socket) => socket.SocketError += (_, error) => errors.Add(error);
        await _page.GotoAsync(OtherSite + "/");

        var outcome = await _page.EvaluateAsync<JsonElement>("""
            (url) => new Promise(resolve => {
              const ws = new WebSocket(url);
              let opened = false;
              ws.onopen = () => { opened = true; ws.close(); };
              ws.onclose = (e) => resolve({ opened, code: e.code });
            })
            """, Wss("/ws/video/stream?pipeline_id=yolo"));

        Assert.False(outcome.GetProperty("opened").GetBoolean());
        Assert.Contains(errors, e => e.Contains("Unexpected response code: 403", StringComparison.Ordinal));
    }
}
