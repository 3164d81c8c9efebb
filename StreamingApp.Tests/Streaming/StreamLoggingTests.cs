using Microsoft.Extensions.Logging;

namespace StreamingApp.Tests.Streaming;

public sealed class StreamLoggingTests
{
    [Fact]
    public async Task Session_ConnectBurstAndClose_LogsLifecycleAndStateChangesButNoFrames()
    {
        using var host = new StreamTestHost();
        var capture = host.Logs;
        using var client = await host.ConnectAsync("gated");
        for (var i = 0; i < 20; i++)
        {
            await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        }

        await client.ReceiveManyAsync(19); // 18 dropped + slow_down (frames 0 and 1 are in work, one per core)
        host.Gate.Release(2);
        await client.ReceiveManyAsync(2);
        await client.CloseAndDrainAsync();
        await capture.WaitForAsync(3002);

        var logs = capture.Logs.Where(l => l.EventId is >= 3000 and < 3100).ToList();
        var connected = Assert.Single(logs, l => l.EventId == 3001);
        Assert.Equal(LogLevel.Information, connected.Level);
        Assert.Equal("gated", connected.Properties["PipelineId"]);
        Assert.True(connected.Properties.ContainsKey("RemoteAddress"));
        var disconnected = Assert.Single(logs, l => l.EventId == 3002);
        Assert.Equal(20L, disconnected.Properties["FramesReceived"]);
        Assert.Equal(2L, disconnected.Properties["FramesProcessed"]);
        Assert.Equal(18L, disconnected.Properties["FramesDropped"]);
        Assert.Equal("client_closed", disconnected.Properties["CloseReason"]);
        Assert.Contains(logs, l => l.EventId == 3003 && (string?)l.Properties["State"] == "slow_down");
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Information && l.EventId is not (3001 or 3002 or 3003));
    }

    [Fact]
    public async Task Session_PipelineThrows_LogsErrorWithException()
    {
        using var host = new StreamTestHost();
        var capture = host.Logs;
        using var client = await host.ConnectAsync("failing");

        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await client.ReceiveErrorAndCloseAsync();
        await capture.WaitForAsync(3002);

        var failure = Assert.Single(capture.Logs, l => l.EventId == 3004);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Equal("pipeline_failure", Assert.Single(capture.Logs, l => l.EventId == 3002).Properties["CloseReason"]);
    }
}
