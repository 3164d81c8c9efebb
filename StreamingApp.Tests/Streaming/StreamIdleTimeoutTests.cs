using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Streaming;

/// <summary>The idle timeout on the app's clock (a fake one here): only a whole frame keeps a connection alive.</summary>
public sealed class StreamIdleTimeoutTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Idle_FramesKeepItOpen_ClosedOneTimeoutAfterTheLastFrame()
    {
        var clock = new FakeTimeProvider();
        using var host = new StreamTestHost();
        using var app = host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(new Uri(app.Server.BaseAddress, "/ws/video/stream?pipeline_id=test"), CancellationToken.None);
        using var client = new StreamClient(socket);

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(Idle - TimeSpan.FromSeconds(1));
            Assert.True((await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg())).TryGetProperty("result", out _), $"open after {i + 1} × 59 s with a frame each time");
        }

        clock.Advance(Idle);
        var next = await client.ReceiveAsync();

        Assert.Null(next);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal("idle_timeout", socket.CloseStatusDescription);
    }
}
