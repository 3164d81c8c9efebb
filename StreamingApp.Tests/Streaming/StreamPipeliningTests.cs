using System.Globalization;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// Work-conserving admission through the real stream endpoint, on a scripted host with two inference cores: a lone
/// session gets a second frame worked on while the first is in work; under load nothing changes (a second frame
/// finds no idle core and is dropped at once); a flooding session cannot take a core from its neighbour. Each test
/// has its own host, so the <c>gated</c> pipeline's counts start at zero.
/// </summary>
public sealed class StreamPipeliningTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly StreamTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Send_TwoFramesInFlightAlone_SecondStartsWhileTheFirstIsInWork()
    {
        using var client = await _host.ConnectAsync("gated");

        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await EnteredAsync();
        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await EnteredAsync(); // frame 1 is in the pipeline while frame 0 still is
        _host.Gate.Release(2);
        var answers = await client.ReceiveManyAsync(2);

        Assert.Equal([0L, 1L], answers.Select(a => a.GetProperty("frame_index").GetInt64()).Order());
        Assert.All(answers, a => Assert.True(a.TryGetProperty("result", out _)));
        Assert.Equal(0, Assert.Single(_host.Registry.Snapshot()).DroppedFrames);
        Assert.Equal(StreamTestHost.Cores, Scheduler.Load.PeakBusyThreads);
        await client.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Send_SecondFrameWhileAnotherSessionHoldsTheOtherCore_DroppedAtOnce()
    {
        using var other = await _host.ConnectAsync("gated");
        using var client = await _host.ConnectAsync("gated");
        await other.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await EnteredAsync();

        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await EnteredAsync();
        var second = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());

        Assert.Equal(1, second.GetProperty("frame_index").GetInt64());
        Assert.True(second.GetProperty("dropped").GetBoolean());
        _host.Gate.Release(2);
        Assert.True((await client.ReceiveAsync())!.Value.TryGetProperty("result", out _));
        Assert.True((await other.ReceiveAsync())!.Value.TryGetProperty("result", out _));
        Assert.Equal(StreamTestHost.Cores, Scheduler.Load.PeakBusyThreads);
    }

    [Fact]
    public async Task Send_FloodingClient_NeighbourGetsTheNextCoreAndTheFloodOnlyItsShare()
    {
        using var flooder = await _host.ConnectAsync("gated");
        using var neighbour = await _host.ConnectAsync("gated");
        await SendAsync(flooder, 30);
        await EnteredAsync();
        await EnteredAsync();
        var flooded = await flooder.ReceiveManyAsync(29); // 28 dropped + slow_down: frames 0 and 1 hold both cores

        await neighbour.SendFrameAsync(StreamTestHost.MinimalJpeg()); // waits its turn
        _host.Gate.Release();                                          // one of the flooder's frames finishes...
        await EnteredAsync();                                           // ...and the neighbour's frame gets its core
        await SendAsync(flooder, 10);                                  // no idle core for the flood now
        var duringNeighbour = await flooder.ReceiveManyAsync(11);      // a result and 10 dropped
        _host.Gate.Release(2);
        var neighbourAnswer = (await neighbour.ReceiveAsync())!.Value;
        var lastFlooded = (await flooder.ReceiveAsync())!.Value;

        Assert.Equal(28, flooded.Count(m => m.TryGetProperty("dropped", out _)));
        Assert.Equal(10, duringNeighbour.Count(m => m.TryGetProperty("dropped", out _)));
        Assert.True(neighbourAnswer.TryGetProperty("result", out _), "neighbour's frame not processed: " + neighbourAnswer);
        Assert.True(lastFlooded.TryGetProperty("result", out _));
        Assert.Equal(2, _host.Registry.Snapshot().Single(s => s.FramesReceived == 40).FramesProcessed);
    }

    [Fact]
    public async Task Metrics_AfterPipelining_ExportsThreadsBusyWithinTheLimit()
    {
        using (var client = await _host.ConnectAsync("gated"))
        {
            await SendAsync(client, 2);
            await EnteredAsync();
            await EnteredAsync();
            _host.Gate.Release(2);
            await client.ReceiveManyAsync(2);
            await client.CloseAndDrainAsync();
        }

        var text = await _host.CreateClient().GetStringAsync("/metrics");

        Assert.Equal(StreamTestHost.Cores, Gauge(text, "streamingapp_inference_threads_limit"));
        Assert.Equal(StreamTestHost.Cores, Gauge(text, "streamingapp_inference_threads_peak"));
        Assert.Equal(0, Gauge(text, "streamingapp_inference_threads_busy"));
        Assert.True(Gauge(text, "streamingapp_inference_threads_busy_time") > 0);
    }

    private InferenceScheduler Scheduler => _host.Services.GetRequiredService<InferenceScheduler>();

    private async Task EnteredAsync() => Assert.True(await _host.Entered.WaitAsync(Guard), "no frame entered the pipeline");

    private static async Task SendAsync(StreamClient client, int frames)
    {
        for (var i = 0; i < frames; i++)
        {
            await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        }
    }

    private static double Gauge(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
    }
}
