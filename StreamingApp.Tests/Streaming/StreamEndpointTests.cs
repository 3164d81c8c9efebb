using System.Net.WebSockets;

namespace StreamingApp.Tests.Streaming;

/// <summary>The stream protocol through WebApplicationFactory's in-memory WebSocket client.</summary>
public sealed class StreamEndpointTests : IClassFixture<StreamEndpointTests.Host>
{
    private readonly StreamTestHost _host;

    public StreamEndpointTests(Host host)
    {
        _host = host.Value;
    }

    public sealed class Host : IDisposable
    {
        public StreamTestHost Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no_such_pipeline")]
    public async Task Connect_MissingOrUnknownPipeline_InvalidPipelineAnd1008(string? pipelineId)
    {
        using var client = await _host.ConnectAsync(pipelineId);

        var (code, detail, status) = await client.ReceiveErrorAndCloseAsync();

        Assert.Equal("invalid_pipeline", code);
        Assert.False(string.IsNullOrEmpty(detail));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Theory]
    [MemberData(nameof(FatalInputs.Cases), MemberType = typeof(FatalInputs))]
    public Task Send_FatalInput_ErrorThenFittingCloseCode(string input, string pipeline, string code, WebSocketCloseStatus status) =>
        FatalInputs.AssertEndsTheSessionAsync(_host, input, pipeline, code, status);

    [Fact]
    public async Task Send_FrameExactlyAtTheLimit_IsProcessed()
    {
        using var client = await _host.ConnectAsync("test");

        await client.SendFrameAsync(FatalInputs.JpegOfSize(FatalInputs.MaxFrameBytes));
        var answer = await client.ReceiveAsync();

        Assert.Equal(0, answer!.Value.GetProperty("frame_index").GetInt64());
        Assert.True(answer.Value.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Send_PacedFrames_ResultPerFrameWithIndexAndTimings()
    {
        using var client = await _host.ConnectAsync("test");

        for (var i = 0; i < 10; i++)
        {
            var answer = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());

            Assert.Equal(i, answer.GetProperty("frame_index").GetInt64());
            var detection = answer.GetProperty("result").GetProperty("detections")[0];
            Assert.Equal("person", detection.GetProperty("label").GetString());
            Assert.Equal(0.1, detection.GetProperty("x").GetDouble(), 3);
            Assert.False(answer.GetProperty("result").TryGetProperty("texts", out _));
            AssertTotalCoversDecodeAndInference(answer.GetProperty("timings"));
        }

        Assert.Empty(await client.CloseAndDrainAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Send_SlowPipeline_InferenceTimingIsThePipelinesWork()
    {
        using var client = await _host.ConnectAsync("slow");

        var timings = (await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg())).GetProperty("timings");

        // The pipeline sleeps for SlowPipelineMs, and a sleep never ends early.
        Assert.True(timings.GetProperty("inference_ms").GetDouble() >= StreamTestHost.SlowPipelineMs, timings.ToString());
        AssertTotalCoversDecodeAndInference(timings);
    }

    [Fact]
    public async Task Send_BurstWhileBusy_DropsEachAnsweredOnceAndOneSlowDown_ThenRecovers()
    {
        using var client = await _host.ConnectAsync("gated");
        const int burst = 40;

        // Frames 0 and 1 are held in the pipeline (the second on the idle core); frames 2..39 arrive while both are busy.
        for (var i = 0; i < burst; i++)
        {
            await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        }

        var messages = await client.ReceiveManyAsync(burst - 1); // 38 dropped + 1 slow_down
        _host.Gate.Release(2);
        messages.AddRange(await client.ReceiveManyAsync(2));     // the results of frames 0 and 1, in either order

        var answers = AnswersByFrame(messages);
        Assert.Equal(burst, answers.Count);
        Assert.True(answers[0].TryGetProperty("result", out _));
        Assert.True(answers[1].TryGetProperty("result", out _));
        for (var i = 2; i < burst; i++)
        {
            Assert.True(answers[i].GetProperty("dropped").GetBoolean());
        }

        Assert.Equal(1, messages.Count(m => m.TryGetProperty("warning", out var w) && w.GetString() == "slow_down"));

        // No lock-in: paced frames are processed again.
        for (var i = 0; i < 35; i++)
        {
            _host.Gate.Release();
            var answer = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());
            Assert.Equal(burst + i, answer.GetProperty("frame_index").GetInt64());
            Assert.True(answer.TryGetProperty("result", out _), "paced frame not processed: " + answer);
        }

        var session = Assert.Single(_host.Registry.Snapshot(), s => s.PipelineId == "gated");
        Assert.Equal(Core.Streaming.BackpressureState.Normal, session.BackpressureState);
        Assert.Equal(burst - 2, session.DroppedFrames);
        await client.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Close_WithAFrameInFlight_AnswersItBeforeClosing()
    {
        using var client = await _host.ConnectAsync("gated");
        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());

        var closing = client.CloseAndDrainAsync();
        _host.Gate.Release();
        var rest = await closing;

        var answer = Assert.Single(rest);
        Assert.Equal(0, answer.GetProperty("frame_index").GetInt64());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal(0, await _host.WaitForNoSessionsAsync());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:1234")]
    [InlineData("null")]
    public async Task Connect_CrossSiteOrigin_Refused403(string origin)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => _host.ConnectAsync("test", origin));

        Assert.Contains("403", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_SameSiteOrigin_Accepted()
    {
        using var client = await _host.ConnectAsync("test", origin: "http://localhost");

        var answer = await client.SendFrameAndReceiveAsync(StreamTestHost.MinimalJpeg());

        Assert.Equal(0, answer.GetProperty("frame_index").GetInt64());
        await client.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Get_WithoutUpgrade_BadRequest()
    {
        using var http = _host.CreateClient();

        var response = await http.GetAsync("/ws/video/stream?pipeline_id=test");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Dictionary<long, JsonElement> AnswersByFrame(List<JsonElement> messages)
    {
        var answers = new Dictionary<long, JsonElement>();
        foreach (var message in messages)
        {
            if (message.TryGetProperty("frame_index", out var index))
            {
                Assert.True(answers.TryAdd(index.GetInt64(), message), $"frame {index} answered twice");
            }
        }

        return answers;
    }

    /// <summary>total_ms runs from the frame's arrival to its answer, so it covers decoding and inference (each figure
    /// is rounded to 3 decimals).</summary>
    private static void AssertTotalCoversDecodeAndInference(JsonElement timings)
    {
        var parts = timings.GetProperty("decode_ms").GetDouble() + timings.GetProperty("inference_ms").GetDouble();
        Assert.True(timings.GetProperty("total_ms").GetDouble() >= parts - 0.002, timings.ToString());
    }
}
