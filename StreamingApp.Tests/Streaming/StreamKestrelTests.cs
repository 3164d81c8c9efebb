using System.Net.WebSockets;

namespace StreamingApp.Tests.Streaming;

/// <summary>The stream on real Kestrel over TCP with <see cref="ClientWebSocket"/>.</summary>
public sealed class StreamKestrelTests : IClassFixture<StreamKestrelTests.Host>
{
    private readonly StreamTestHost _host;

    public StreamKestrelTests(Host host)
    {
        _host = host.Value;
    }

    public sealed class Host : IDisposable
    {
        public StreamTestHost Value { get; } = new(kestrel: true);

        public void Dispose() => Value.Dispose();
    }

    [Theory]
    [MemberData(nameof(FatalInputs.Cases), MemberType = typeof(FatalInputs))]
    public Task Send_FatalInput_ErrorThenFittingCloseCode(string input, string pipeline, string code, WebSocketCloseStatus status) =>
        FatalInputs.AssertEndsTheSessionAsync(_host, input, pipeline, code, status);

    [Fact]
    public async Task Connect_CrossSiteOrigin_Refused403BeforeUpgrade()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(
            () => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_host.Port}/ws/video/stream?pipeline_id=test"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Connect_OwnOrigin_Accepted()
    {
        using var client = await _host.ConnectAsync("test", origin: $"http://127.0.0.1:{_host.Port}");

        var answer = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());

        Assert.Equal(0, answer.GetProperty("frame_index").GetInt64());
        await client.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Send_NextFrameOnEachAnswer_EachAnsweredInFrameOrderNoneDropped()
    {
        // A client that sends its next frame as soon as it has the previous answer keeps one frame in flight:
        // the session must already be idle when that answer leaves, or such a client sees spurious drops.
        using var client = await _host.ConnectAsync("test");

        for (var i = 0; i < 300; i++)
        {
            var answer = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());

            Assert.Equal(i, answer.GetProperty("frame_index").GetInt64());
            Assert.True(answer.TryGetProperty("result", out _), $"frame {i}: {answer}");
            Assert.True(answer.TryGetProperty("timings", out _));
        }

        Assert.Empty(await client.CloseAndDrainAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Abort_200ConnectionsMidInference_NoSessionLeft()
    {
        await _host.AbortMidInferenceAsync("slow", StreamTestHost.MinimalJpeg(), connections: 200, frames: 2);

        Assert.Equal(0, await _host.WaitForNoSessionsAsync());

        // The server still serves after the storm.
        using var survivor = await _host.ConnectAsync("test");
        Assert.True((await survivor.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg())).TryGetProperty("result", out _));
        await survivor.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Send_GarbageOnOneSession_NeighbourKeepsGettingResults()
    {
        using var neighbour = await _host.ConnectAsync("test");
        var garbage = Task.Run(async () =>
        {
            var random = new Random(7);
            for (var i = 0; i < 50; i++)
            {
                using var bad = await _host.ConnectAsync("test");
                var bytes = new byte[random.Next(1, 4096)];
                random.NextBytes(bytes);
                await bad.SendFrameAsync(bytes);
                Assert.Equal("invalid_frame", (await bad.ReceiveErrorAndCloseAsync()).Code);
            }
        });

        for (var i = 0; i < 50; i++)
        {
            var answer = await neighbour.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());
            Assert.Equal(i, answer.GetProperty("frame_index").GetInt64());
            Assert.Equal("person", answer.GetProperty("result").GetProperty("detections")[0].GetProperty("label").GetString());
        }

        await garbage;
        await neighbour.CloseAndDrainAsync();
    }
}
