using Microsoft.Extensions.Time.Testing;
using Moq;

namespace StreamingApp.Tests.Components.Stream;

public sealed class StreamPageStateTests
{
    private const string Result0 = """{"frame_index":0,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]},"timings":{"decode_ms":1.5,"inference_ms":8,"total_ms":10}}""";

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingDriver _driver = new();
    private readonly StreamPageState _state;

    public StreamPageStateTests()
    {
        _state = new StreamPageState(new TestPipelineCatalog(new TestPipeline("yolo") { DecodeFit = new(416, 416) }, new TestPipeline("ocr")), _time);
        _state.Attach(_driver);
    }

    private async Task StreamingAsync()
    {
        await _state.StartAsync();
        _state.OnStreamOpened();
    }

    [Fact]
    public async Task Start_Attached_StartsTheCameraThenOpensTheDefaultPipelineAtFifteenFps()
    {
        await _state.StartAsync();

        Assert.Equal(["camera:", "open:yolo@15x2 fit 416x416"], _driver.Calls);
        Assert.Equal(StreamStatus.Connecting, _state.Status);
        Assert.Equal("yolo", _state.Stats.PipelineId);
    }

    [Theory]
    [InlineData("ocr", "open:ocr@15x2 fit 0x0")]
    [InlineData("nonexistent", "open:nonexistent@15x2 fit 0x0")]
    public async Task Start_PipelineWithoutAFitOrUnknown_CapturesTheCameraAtItsOwnSize(string pipelineId, string expectedOpen)
    {
        await _state.SelectPipelineAsync(pipelineId);

        await _state.StartAsync();

        Assert.Equal(["camera:", expectedOpen], _driver.Calls);
    }

    [Fact]
    public async Task Start_NotAttached_DoesNothing()
    {
        _state.Detach(_driver);

        await _state.StartAsync();

        Assert.Empty(_driver.Calls);
        Assert.False(_state.IsReady);
    }

    [Fact]
    public async Task Message_Result_BecomesTheLastResultWithItsFrameTimingsAndLatency()
    {
        await StreamingAsync();

        await _state.OnStreamMessageAsync(Result0, 23.5, framesSent: 1);

        Assert.Equal(StreamStatus.Connected, _state.Status);
        Assert.Equal(0, _state.LastResultFrameIndex);
        Assert.Equal(new Detection(0.1f, 0.2f, 0.3f, 0.4f, "bus", 0.9f), Assert.Single(_state.LastResult!.Detections));
        Assert.Equal(new ServerTimings(1.5, 8, 10), _state.Stats.LastTimings);
        Assert.Equal(23.5, _state.Stats.LastLatencyMs);
        Assert.Equal((1, 1, 0), (_state.Stats.FramesSent, _state.Stats.FramesAnswered, _state.Stats.DroppedFrames));
    }

    [Fact]
    public async Task Message_Dropped_CountedAndTheLastResultKept()
    {
        await StreamingAsync();
        await _state.OnStreamMessageAsync(Result0, 20, 1);

        await _state.OnStreamMessageAsync("""{"frame_index":1,"dropped":true}""", 5, 2);

        Assert.Equal(0, _state.LastResultFrameIndex);
        Assert.Equal((2L, 1L), (_state.Stats.FramesAnswered, _state.Stats.DroppedFrames));
        Assert.Equal(0.5, _state.Stats.DropRate);
    }

    [Fact]
    public async Task Message_ErrorThenClose_ShowsTheErrorAndIsDisconnected()
    {
        await StreamingAsync();

        await _state.OnStreamMessageAsync("""{"error":"invalid_pipeline","detail":"Unknown pipeline 'x'."}""", null, 0);
        _state.OnStreamClosed(1008);

        Assert.Equal(new StreamProblem("invalid_pipeline", "Unknown pipeline 'x'."), _state.Error);
        Assert.Equal(StreamStatus.Disconnected, _state.Status);
    }

    [Fact]
    public async Task Close_WithoutAnError_IsAConnectionLost()
    {
        await StreamingAsync();

        _state.OnStreamClosed(1006);

        Assert.Equal(StreamProblem.ConnectionLost, _state.Error!.Code);
        Assert.Contains("1006", _state.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowDown_ThenCalm_FiveFpsThenOneMoreEveryTwoSecondsBackToFifteen()
    {
        await StreamingAsync();

        await _state.OnStreamMessageAsync("""{"warning":"slow_down"}""", null, 10);
        Assert.Equal(5, _state.Stats.Pace.MaxFps);
        Assert.Equal(1, _state.Stats.SlowDownWarnings);

        _time.Advance(TimeSpan.FromSeconds(1.9));
        await _state.OnStreamMessageAsync(Result0, 10, 11);
        Assert.Equal(5, _state.Stats.Pace.MaxFps);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await _state.OnStreamMessageAsync(Result0, 10, 12);
        Assert.Equal(6, _state.Stats.Pace.MaxFps);

        _time.Advance(TimeSpan.FromSeconds(60));
        await _state.OnStreamMessageAsync(Result0, 10, 13);
        Assert.Equal(15, _state.Stats.Pace.MaxFps);
        Assert.Equal(["pace:5x2", "pace:6x2", "pace:15x2"], _driver.Calls.Where(c => c.StartsWith("pace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dropped_DuringRecovery_RestartsTheTwoSecondWait()
    {
        await StreamingAsync();
        await _state.OnStreamMessageAsync("""{"warning":"slow_down"}""", null, 10);

        _time.Advance(TimeSpan.FromSeconds(1.5));
        await _state.OnStreamMessageAsync("""{"frame_index":3,"dropped":true}""", 4, 11);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await _state.OnStreamMessageAsync(Result0, 10, 12);

        Assert.Equal(5, _state.Stats.Pace.MaxFps);
    }

    [Fact]
    public async Task Dropped_WithTwoInFlight_OneUntilTwentyResultsInARowThenTwoAgain()
    {
        await StreamingAsync();

        await _state.OnStreamMessageAsync("""{"frame_index":1,"dropped":true}""", 4, 2);
        Assert.Equal(new CapturePace(15, 1), _state.Stats.Pace);
        for (var i = 0; i < CapturePacing.CalmAnswersBeforeTwo - 1; i++)
        {
            await _state.OnStreamMessageAsync(Result0, 10, 3 + i);
        }

        Assert.Equal(1, _state.Stats.Pace.MaxInFlight);
        await _state.OnStreamMessageAsync(Result0, 10, 30);

        Assert.Equal(new CapturePace(15, 2), _state.Stats.Pace);
        Assert.Equal(["pace:15x1", "pace:15x2"], _driver.Calls.Where(c => c.StartsWith("pace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Result_OlderThanTheOneShown_LeavesTheOverlayOnTheNewer()
    {
        await StreamingAsync();
        await _state.OnStreamMessageAsync(Result0.Replace("\"frame_index\":0", "\"frame_index\":5", StringComparison.Ordinal), 10, 6);

        await _state.OnStreamMessageAsync(Result0.Replace("\"frame_index\":0", "\"frame_index\":4", StringComparison.Ordinal), 10, 6);

        Assert.Equal(5, _state.LastResultFrameIndex);
        Assert.Equal(2, _state.Stats.FramesAnswered);
    }

    [Fact]
    public async Task SelectPipeline_WhileStreaming_ReopensTheStreamWithIt()
    {
        await StreamingAsync();

        await _state.SelectPipelineAsync("ocr");

        Assert.Equal("open:ocr@15x2 fit 0x0", _driver.Calls[^1]);
        Assert.Equal(StreamStatus.Connecting, _state.Status);
        Assert.Equal("ocr", _state.Stats.PipelineId);
    }

    [Fact]
    public async Task SelectPipeline_WhileStopped_OnlyRemembersTheChoice()
    {
        await _state.SelectPipelineAsync("ocr");

        Assert.Empty(_driver.Calls);
        Assert.Equal("ocr", _state.PipelineId);
    }

    [Fact]
    public async Task Retry_AfterAnError_ClearsItAndStartsWithTheSelectedPipeline()
    {
        _state.Request("nonexistent");
        await StreamingAsync();
        await _state.OnStreamMessageAsync("""{"error":"invalid_pipeline","detail":"x"}""", null, 0);
        _state.OnStreamClosed(1008);
        await _state.SelectPipelineAsync("yolo");

        await _state.RetryAsync();

        Assert.Null(_state.Error);
        Assert.Equal("open:yolo@15x2 fit 416x416", _driver.Calls[^1]);
    }

    [Fact]
    public async Task Interrupted_CircuitWasLost_ConnectionLostAndDisconnected()
    {
        await StreamingAsync();

        _state.OnStreamInterrupted();

        Assert.Equal(StreamProblem.ConnectionLost, _state.Error!.Code);
        Assert.Equal(StreamStatus.Disconnected, _state.Status);
    }

    [Fact]
    public async Task Stop_WhileStreaming_ClosesTheStreamThenStopsTheCamera()
    {
        await StreamingAsync();

        await _state.StopAsync();

        Assert.Equal(["close", "stopCamera"], _driver.Calls[^2..]);
        Assert.Equal(StreamStatus.Disconnected, _state.Status);
    }

    [Fact]
    public async Task Detach_WhileStreaming_TheStreamEndsWithThePage()
    {
        await StreamingAsync();

        _state.Detach(_driver);

        Assert.Equal(StreamStatus.Disconnected, _state.Status);
        Assert.False(_state.IsReady);
    }

    [Fact]
    public async Task Changed_EveryAnswer_Raised()
    {
        await StreamingAsync();
        var changes = 0;
        _state.Changed += () => changes++;

        await _state.OnStreamMessageAsync(Result0, 1, 1);
        await _state.OnStreamMessageAsync("""{"frame_index":1,"dropped":true}""", 1, 2);

        Assert.Equal(2, changes);
    }

    private sealed class RecordingDriver : IStreamDriver
    {
        public List<string> Calls { get; } = [];

        public Task<CameraStart> StartCameraAsync(string? deviceId)
        {
            Calls.Add("camera:" + deviceId);
            return Task.FromResult(new CameraStart(null, "cam-1", [new CameraDevice("cam-1", "Camera")]));
        }

        public Task StopCameraAsync() => Record("stopCamera");

        public Task OpenStreamAsync(string pipelineId, CapturePace pace, ImageSize captureFit) =>
            Record($"open:{pipelineId}@{pace.MaxFps}x{pace.MaxInFlight} fit {captureFit.Width}x{captureFit.Height}");

        public Task CloseStreamAsync() => Record("close");

        public Task SetPaceAsync(CapturePace pace) => Record($"pace:{pace.MaxFps}x{pace.MaxInFlight}");

        private Task Record(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }
}
