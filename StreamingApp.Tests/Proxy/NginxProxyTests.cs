using System.Net.Http.Json;
using StreamingApp.Tests.Jobs;
using StreamingApp.Tests.Streaming;

namespace StreamingApp.Tests.Proxy;

/// <summary>
/// The app (real models, real Kestrel) behind Debian's nginx running deploy/nginx.conf with TLS: the browser's
/// origin is https://127.x.y.z (port 443, unnamed), the app hears plain HTTP from nginx at 127.0.0.1.
/// </summary>
public sealed class NginxProxyTests(ProxiedApp stack) : IClassFixture<ProxiedApp>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(120);

    // The browser's own address, distinct from nginx's (127.0.0.1), so forwarding is visible.
    private static readonly IPAddress Browser = LoopbackClient.Address(303);

    private NginxProxy Nginx => stack.Nginx;

    private Task<(System.Net.WebSockets.ClientWebSocket? Socket, HttpStatusCode Status)> HandshakeAsync(string origin) =>
        LoopbackClient.ConnectWebSocketAsync(
            Nginx.WebSocketUri("/ws/video/stream?pipeline_id=yolo"), Nginx.CreateHandler(Browser), new Dictionary<string, string> { ["Origin"] = origin });

    [Fact]
    public async Task Stream_SitesOwnPageThroughTls_DetectionsAndTheBrowsersAddress()
    {
        var (socket, status) = await HandshakeAsync(Nginx.Origin);
        Assert.True(socket is not null, $"handshake {(int)status}\n{Nginx.ErrorLog}");
        using var client = new StreamClient(socket);

        var answer = await client.SendFrameAndReceiveAsync(await File.ReadAllBytesAsync(TestPaths.CocoImage(ChromiumFixture.CameraPhoto)));

        var labels = answer.GetProperty("result").GetProperty("detections").EnumerateArray().Select(d => d.GetProperty("label").GetString());
        Assert.Contains("bus", labels);
        var registry = stack.App.Services.GetService(typeof(StreamingApp.Core.Streaming.SessionRegistry)) as StreamingApp.Core.Streaming.SessionRegistry;
        Assert.Contains(registry!.Snapshot(), s => s.RemoteAddress == Browser.ToString());
        await client.CloseAndDrainAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://{host}")] // the right host without TLS is another origin
    public async Task Stream_OtherOriginThroughTls_Refused403(string origin)
    {
        var (socket, status) = await HandshakeAsync(origin.Replace("{host}", Nginx.BaseAddress.Authority, StringComparison.Ordinal));

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Upload_SitesOwnPageThroughTls_CompletesAndReplaysTheSameVideo()
    {
        using var http = Nginx.CreateClient(Browser);
        var clip = await File.ReadAllBytesAsync(TestVideo.ClipPath);
        using var form = JobTestClient.Form(clip);
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?pipeline_id=yolo&frame_stride=10") { Content = form };
        submit.Headers.Add("Origin", Nginx.Origin);

        using var accepted = await http.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString()!;
        var status = await WaitForFinalStatusAsync(http, jobId);
        var video = await http.GetByteArrayAsync($"/v1/jobs/{jobId}/video");
        using var results = await http.GetAsync($"/v1/video/results/{jobId}");

        Assert.Equal("completed", status);
        Assert.Equal(clip, video);
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        var frames = (await results.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        Assert.Equal(TestVideo.FrameCount / 10, frames.GetArrayLength());
    }

    [Fact]
    public async Task Upload_OtherSiteThroughTls_Refused403()
    {
        using var http = Nginx.CreateClient(Browser);
        using var form = JobTestClient.Form(new byte[4096]);
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?pipeline_id=yolo") { Content = form };
        submit.Headers.Add("Origin", "https://evil.example");

        using var refused = await http.SendAsync(submit);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("cross_site_request", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private static async Task<string> WaitForFinalStatusAsync(HttpClient http, string jobId)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var status = (await http.GetFromJsonAsync<JsonElement>($"/v1/video/status/{jobId}", guard.Token)).GetProperty("status").GetString()!;
            if (status is "completed" or "failed")
            {
                return status;
            }

            await Task.Delay(200, guard.Token);
        }
    }
}
