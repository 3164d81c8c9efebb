using System.Net.WebSockets;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// The hard stream limits on real Kestrel, with connections from many distinct loopback addresses (127.0.1.0, …):
/// a small version of the 2,000-connection storm (the full one is a benchmark, docs/PERFORMANCE.md).
/// </summary>
public sealed class StreamLimitsTests(ITestOutputHelper output)
{
    private const int MaxConnections = 12;
    private const int PerClient = 3;

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static StreamTestHost Host(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Stream:MaxConnections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stream:MaxConnectionsPerClient"] = PerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new StreamTestHost(kestrel: true, settings: settings);
    }

    private static Uri StreamUri(StreamTestHost host) => new($"ws://127.0.0.1:{host.Port}/ws/video/stream?pipeline_id=test");

    [Fact]
    public async Task Connect_StormFromManyAddresses_AtMostMaxAdmittedRestRefused503AndAllAnswered()
    {
        using var host = Host();
        using var guard = new CancellationTokenSource(Guard);

        // 120 handshakes at once from 60 addresses, two each: none may be left hanging (the guard would cancel it).
        var attempts = await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            LoopbackClient.ConnectWebSocketAsync(StreamUri(host), LoopbackClient.Address(i / 2), cancellationToken: guard.Token)));
        var admitted = attempts.Where(a => a.Socket is not null).Select(a => a.Socket!).ToList();

        Assert.Equal(MaxConnections, admitted.Count);
        Assert.All(attempts.Where(a => a.Socket is null), a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(MaxConnections, host.Limiter.Count);

        // The admitted ones stream normally; once they leave, a newcomer is served.
        foreach (var socket in admitted)
        {
            using var client = new StreamClient(socket);
            Assert.True((await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg())).TryGetProperty("result", out _));
            await client.CloseAndDrainAsync();
        }

        Assert.Equal(0, await host.WaitForNoSessionsAsync());
        var (newcomer, status) = await LoopbackClient.ConnectWebSocketAsync(StreamUri(host), LoopbackClient.Address(500), cancellationToken: guard.Token);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        newcomer!.Dispose();
    }

    [Fact]
    public async Task Connect_TwentyFromOneAddress_AtMostPerClientAdmitted()
    {
        using var host = Host();
        using var guard = new CancellationTokenSource(Guard);
        var address = LoopbackClient.Address(7);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            LoopbackClient.ConnectWebSocketAsync(StreamUri(host), address, cancellationToken: guard.Token)));
        var other = await LoopbackClient.ConnectWebSocketAsync(StreamUri(host), LoopbackClient.Address(8), cancellationToken: guard.Token);

        Assert.Equal(PerClient, attempts.Count(a => a.Socket is not null));
        Assert.Equal(20 - PerClient, attempts.Count(a => a.Status == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, other.Status);
        foreach (var socket in attempts.Select(a => a.Socket).Append(other.Socket))
        {
            socket?.Dispose();
        }
    }

    [Fact]
    public async Task Connect_PerClientThroughTrustedProxy_CountsTheForwardedClient()
    {
        // The other way to be many clients: one proxy (loopback, trusted by default) forwarding for many.
        using var host = Host();
        using var guard = new CancellationTokenSource(Guard);

        async Task<HttpStatusCode> FromAsync(string client) => (await LoopbackClient.ConnectWebSocketAsync(
            StreamUri(host), IPAddress.Loopback, new Dictionary<string, string> { ["X-Forwarded-For"] = client }, guard.Token)).Status;

        var sameClient = new List<HttpStatusCode>();
        for (var i = 0; i < PerClient + 1; i++)
        {
            sameClient.Add(await FromAsync("198.51.100.1"));
        }

        var otherClient = await FromAsync("198.51.100.2");

        Assert.Equal(PerClient, sameClient.Count(s => s == HttpStatusCode.SwitchingProtocols));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sameClient[^1]);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, otherClient);
    }

    [Fact]
    public async Task Idle_NoFrameForTheTimeout_Closed1001IdleTimeout()
    {
        using var host = Host(new() { ["Stream:IdleTimeoutSeconds"] = "1" });
        using var client = await host.ConnectAsync("test");

        var message = await client.ReceiveAsync(); // nothing sent: the next thing is the server's close

        Assert.Null(message);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal("idle_timeout", client.Socket.CloseStatusDescription);
        Assert.Equal(0, await host.WaitForNoSessionsAsync());
    }

    [Fact]
    public async Task Send_ClientStopsReading_DroppedAfterSendTimeout()
    {
        using var host = Host(new() { ["Stream:SendTimeoutSeconds"] = "1" });
        using var client = await host.ConnectAsync("test", receiveBufferBytes: 4096);

        // Frames go in, answers are never read: buffers fill, the server's send stalls, its send timeout must end the
        // session although this client never closes. Without it the loop below would block until the guard.
        var sent = 0;
        var failed = false;
        using var guard = new CancellationTokenSource(Guard);
        while (!failed)
        {
            try
            {
                await client.Socket.SendAsync(StreamTestHost.MinimalJpeg(), WebSocketMessageType.Binary, true, guard.Token);
                sent++;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                failed = true;
            }
        }

        output.WriteLine($"frames sent before the server dropped the connection: {sent}");
        Assert.Equal(0, await host.WaitForNoSessionsAsync());
        Assert.Equal(0, host.Limiter.Count);
    }
}
