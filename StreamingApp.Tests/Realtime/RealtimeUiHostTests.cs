using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Realtime;

public sealed class RealtimeUiHostTests : IClassFixture<RealtimeUiHostTests.Factory>
{
    private readonly Factory _factory;

    public RealtimeUiHostTests(Factory factory) => _factory = factory;

    /// <summary>The app with its real pipeline catalog.</summary>
    public sealed class Factory : StreamingAppFactory;

    [Theory]
    [InlineData("/js/realtime.js", "text/javascript")]
    [InlineData("/js/realtime-logic.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    public async Task StaticAssets_FromWwwrootAssets_AreServed(string path, string mediaType)
    {
        var response = await _factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StreamPage_Get_HasLayoutControlsAndRegions()
    {
        var html = await _factory.CreateClient().GetStringAsync("/");

        Assert.Contains("<a class=\"app-name\" href=\"/\">StreamingApp</a>", html);
        Assert.Contains(">Jobs</a>", html);
        Assert.Contains("data-action=\"debug\"", html);
        Assert.Contains("<span>Pipeline</span>", html);
        Assert.Contains("<option value=\"yolo\" title=\"Finds the 80 COCO", html);
        Assert.Contains(">Objects (YOLOX-nano)</option>", html);
        Assert.Contains(">Start</button>", html);
        Assert.Contains(">Stop</button>", html);
        Assert.Contains("<video data-testid=\"camera\"", html);
        Assert.Contains("data-region=\"overlay\"", html);
        Assert.Contains("<script type=\"module\" src=\"js/realtime.js\"></script>", html);
    }

    [Fact]
    public async Task StreamPage_NoPipelineQuery_PreselectsDefaultPipeline()
    {
        var html = await _factory.CreateClient().GetStringAsync("/");

        Assert.Matches("<option value=\"yolo\"[^>]*selected", html);
        Assert.DoesNotMatch("<option value=\"ocr\"[^>]*selected", html);
    }

    [Fact]
    public async Task StreamPage_UnknownPipelineQuery_PreselectsItAsUnavailable()
    {
        var html = await _factory.CreateClient().GetStringAsync("/?pipeline=nonexistent");

        Assert.Contains("<option value=\"nonexistent\" selected>nonexistent (unavailable)</option>", html);
    }

    [Fact]
    public async Task UiSocket_Start_SendsConnectCommandThenRenderedRegions()
    {
        var server = _factory.Server;
        using var socket = await server.CreateWebSocketClient().ConnectAsync(new Uri(server.BaseAddress, "ui/realtime"), CancellationToken.None);

        await SendAsync(socket, """{"action":"start","pipeline_id":"yolo"}""");
        using var command = await ReceiveAsync(socket);
        using var render = await ReceiveAsync(socket);

        Assert.Equal("connect", command.RootElement.GetProperty("command").GetString());
        Assert.Equal("yolo", command.RootElement.GetProperty("pipeline_id").GetString());
        Assert.Equal("connecting", render.RootElement.GetProperty("status").GetString());
        Assert.Contains("connecting", render.RootElement.GetProperty("render").GetProperty("status").GetString());
    }

    [Fact]
    public async Task UiSocket_ResultMessage_RerendersOverlayWithDetection()
    {
        var server = _factory.Server;
        using var socket = await server.CreateWebSocketClient().ConnectAsync(new Uri(server.BaseAddress, "ui/realtime"), CancellationToken.None);

        await SendAsync(socket, """{"stream":"message","data":{"frame_index":0,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]},"timings":{"decode_ms":1,"inference_ms":8,"total_ms":10}},"latency_ms":25,"frames_sent":1,"throttle_fps":15}""");
        using var render = await ReceiveAsync(socket);

        var overlay = render.RootElement.GetProperty("render").GetProperty("overlay").GetString();
        Assert.Contains("data-label=\"bus\"", overlay);
        Assert.Contains("frame 0", overlay);
        Assert.Equal(0, render.RootElement.GetProperty("frame_index").GetInt64());
    }

    [Fact]
    public async Task UiSocket_OriginOfAnotherSite_IsRefused()
    {
        var server = _factory.Server;
        var client = server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "http://evil.example";

        var refused = await Assert.ThrowsAnyAsync<Exception>(
            () => client.ConnectAsync(new Uri(server.BaseAddress, "ui/realtime"), CancellationToken.None));

        Assert.Contains("403", refused.Message);
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonDocument> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(buffer.AsMemory(0, length));
    }
}
