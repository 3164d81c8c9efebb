using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StreamingApp.Realtime;

namespace StreamingApp.Tests.Realtime;

public sealed class RealtimeClientTests
{
    private readonly Mock<IRealtimeBridge> _bridge = new();
    private readonly FakeTimeProvider _time = new();

    private RealtimeClient NewClient() => new(_bridge.Object, _time);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private const string Result0 =
        """{"frame_index":0,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.91}]},"timings":{"decode_ms":1.5,"inference_ms":8.25,"total_ms":11}}""";

    [Fact]
    public async Task ConnectAsync_NewPipeline_AsksBridgeAndResetsCounters()
    {
        var client = NewClient();
        client.OnStreamMessage(Json(Result0), 20, 5, 15);
        var now = _time.GetUtcNow();

        await client.ConnectAsync("yolo", CancellationToken.None);

        _bridge.Verify(b => b.ConnectStreamAsync("yolo", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(RealtimeStatus.Connecting, client.Context.Status);
        Assert.Equal("yolo", client.Context.PipelineId);
        Assert.Equal(0, client.Context.FramesSent);
        Assert.Null(client.Context.LastResult);
        Assert.Equal(now, client.Context.StartedAt);
    }

    [Fact]
    public void OnStreamMessage_Result_StoresResultFrameIndexTimingsAndLatency()
    {
        var client = NewClient();

        client.OnStreamMessage(Json(Result0), 42.5, 1, 15);

        var c = client.Context;
        var d = Assert.Single(c.LastResult!.Detections);
        Assert.Equal(("bus", 0.1f, 0.2f, 0.3f, 0.4f), (d.Label, d.X, d.Y, d.W, d.H));
        Assert.Equal(0, c.LastResultFrameIndex);
        Assert.Equal(new ServerTimings(1.5, 8.25, 11), c.LastTimings);
        Assert.Equal(42.5, c.LastLatencyMs);
        Assert.Equal(1, c.FramesSent);
        Assert.Equal(1, c.FramesAnswered);
    }

    [Fact]
    public void OnStreamMessage_Dropped_CountsItAndKeepsLastResult()
    {
        var client = NewClient();
        client.OnStreamMessage(Json(Result0), 10, 1, 15);

        client.OnStreamMessage(Json("""{"frame_index":1,"dropped":true}"""), 12, 2, 15);

        var c = client.Context;
        Assert.Equal(1, c.DroppedFrames);
        Assert.Equal(0, c.LastResultFrameIndex);
        Assert.Equal("bus", c.LastResult!.Detections[0].Label);
        Assert.Equal(0.5, c.DropRate);
    }

    [Fact]
    public void OnStreamMessage_SlowDown_CountsWarningAndTakesThrottle()
    {
        var client = NewClient();

        client.OnStreamMessage(Json("""{"warning":"slow_down"}"""), null, 30, 5);

        Assert.Equal(1, client.Context.SlowDownWarnings);
        Assert.Equal(5, client.Context.ThrottleFps);
        Assert.Equal(0, client.Context.FramesAnswered);
    }

    [Fact]
    public void OnStreamClosed_AfterErrorMessage_KeepsServerError()
    {
        var client = NewClient();
        client.OnStreamMessage(Json("""{"error":"invalid_pipeline","detail":"unknown pipeline 'x'"}"""), null, 0, 15);

        client.OnStreamClosed(1008);

        Assert.Equal(new RealtimeError("invalid_pipeline", "unknown pipeline 'x'"), client.Context.LastError);
        Assert.Equal(RealtimeStatus.Disconnected, client.Context.Status);
    }

    [Fact]
    public void OnStreamClosed_AbnormalWithoutError_ReportsConnectionLost()
    {
        var client = NewClient();
        client.OnStreamOpened();

        client.OnStreamClosed(1006);

        Assert.Equal("connection_lost", client.Context.LastError?.Code);
    }

    [Fact]
    public async Task RetryAsync_AfterError_ClearsErrorAndReconnectsWithCurrentPipeline()
    {
        var client = NewClient();
        await client.ConnectAsync("missing", CancellationToken.None);
        client.OnStreamMessage(Json("""{"error":"invalid_pipeline","detail":"x"}"""), null, 0, 15);
        client.OnStreamClosed(1008);
        await client.SelectPipelineAsync("yolo", CancellationToken.None);

        await client.RetryAsync(CancellationToken.None);

        Assert.Null(client.Context.LastError);
        Assert.Equal(RealtimeStatus.Connecting, client.Context.Status);
        _bridge.Verify(b => b.ConnectStreamAsync("yolo", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SelectPipelineAsync_WhileConnected_DisconnectsThenConnectsNewId()
    {
        var client = NewClient();
        await client.ConnectAsync("yolo", CancellationToken.None);
        client.OnStreamOpened();

        await client.SelectPipelineAsync("ocr", CancellationToken.None);

        _bridge.Verify(b => b.DisconnectStreamAsync(It.IsAny<CancellationToken>()), Times.Once);
        _bridge.Verify(b => b.ConnectStreamAsync("ocr", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("ocr", client.Context.PipelineId);
    }

    [Fact]
    public async Task SelectPipelineAsync_WhileStopped_OnlyRemembersChoice()
    {
        var client = NewClient();

        await client.SelectPipelineAsync("ocr", CancellationToken.None);

        _bridge.Verify(b => b.ConnectStreamAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal("ocr", client.Context.PipelineId);
    }

    [Fact]
    public async Task ApproxFps_FramesOverElapsed_IsSendRate()
    {
        var client = NewClient();
        await client.ConnectAsync("yolo", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));

        client.OnStreamMessage(Json(Result0), 10, 60, 15);

        Assert.Equal(15, client.Context.ApproxFps(_time.GetUtcNow()), 3);
    }
}
