namespace StreamingApp.Tests.Streaming;

/// <summary>
/// After a burst of real handshakes on real Kestrel goes quiet, the process really collects and gives memory back
/// (how much it gives back is measured by the load tool's storm, docs/PERFORMANCE.md, not asserted here).
/// </summary>
public sealed class StreamMemoryReclaimerTests
{
    private const int MemoryGivenBackEventId = 3009;

    [Fact]
    public async Task BurstOfHandshakes_ThenQuiet_FullCollectionRunsAndIsLogged()
    {
        using var host = new StreamTestHost(kestrel: true, settings: new()
        {
            ["Stream:MaxConnections"] = "12",
            ["Stream:MaxConnectionsPerClient"] = "3",
            ["Stream:MemoryReclaimHandshakes"] = "40",
            ["Stream:MemoryReclaimQuietSeconds"] = "1",
        });
        var uri = new Uri($"ws://127.0.0.1:{host.Port}/ws/video/stream?pipeline_id=test");
        using var guard = new CancellationTokenSource(WaitableQueue<CapturedLog>.DefaultGuard);
        var fullCollectionsBefore = GC.CollectionCount(2);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            LoopbackClient.ConnectWebSocketAsync(uri, LoopbackClient.Address(i), cancellationToken: guard.Token)));
        foreach (var (socket, _) in attempts)
        {
            socket?.Abort();
            socket?.Dispose();
        }

        var given = await host.Logs.WaitForAsync(MemoryGivenBackEventId);

        Assert.Equal(12, attempts.Count(a => a.Status == HttpStatusCode.SwitchingProtocols));
        Assert.True(GC.CollectionCount(2) > fullCollectionsBefore, "no full collection ran");
        Assert.Equal(60L, given.Properties["Handshakes"]);
        Assert.True((long)given.Properties["WorkingSetBeforeBytes"]! > 0);
        Assert.True((long)given.Properties["WorkingSetAfterBytes"]! > 0);
    }

    [Fact]
    public async Task Start_MemoryReclaimHandshakesZero_ReclaimerEndsAtOnce()
    {
        using var off = new StreamTestHost(settings: new() { ["Stream:MemoryReclaimHandshakes"] = "0" });
        using var on = new StreamTestHost();

        var offTask = Reclaimer(off).ExecuteTask!;
        var onTask = Reclaimer(on).ExecuteTask!;

        await offTask.WaitAsync(WaitableQueue<CapturedLog>.DefaultGuard);
        Assert.False(onTask.IsCompleted);
    }

    private static StreamMemoryReclaimer Reclaimer(StreamTestHost host) =>
        host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<StreamMemoryReclaimer>().Single();
}
