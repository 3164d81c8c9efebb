namespace StreamingApp.Components.Stream;

/// <summary>An error the page shows in its banner: a stream error code (or <c>connection_lost</c>) and the detail.</summary>
public sealed record StreamProblem(string Code, string Detail)
{
    public const string ConnectionLost = "connection_lost";
}

/// <summary>
/// The stream page's state for one circuit (scoped): what the person chose, what the stream answered and what the
/// page shows. The components render from it; the person's actions (Start, Stop, a pipeline, Retry) are its
/// methods, and it drives the browser through the <see cref="IStreamDriver"/> attached by <see cref="CameraPreview"/>,
/// which also reports back what the browser saw. Everything runs on the circuit's dispatcher.
/// </summary>
public sealed class StreamPageState(IPipelineCatalog catalog, TimeProvider time)
{
    private readonly CapturePacing _pacing = new(time);

    // One action at a time: a Stop pressed while the camera is still starting waits for it, then stops it.
    private readonly SemaphoreSlim _actions = new(1, 1);
    private IStreamDriver? _driver;

    /// <summary>Raised after every change, so the page re-renders.</summary>
    public event Action? Changed;

    public string PipelineId { get; private set; } = catalog.DefaultId;

    public StreamStats Stats { get; private set; } = StreamStats.Idle;

    public StreamStatus Status => Stats.Status;

    /// <summary>The last result and the frame it belongs to; a dropped frame leaves them as they are.</summary>
    public FrameResult? LastResult { get; private set; }

    public long? LastResultFrameIndex { get; private set; }

    public StreamProblem? Error { get; private set; }

    /// <summary>Why the camera could not start (see <see cref="CameraStart"/>), or null.</summary>
    public string? CameraError { get; private set; }

    public IReadOnlyList<CameraDevice> Cameras { get; private set; } = [];

    public string? CameraId { get; private set; }

    /// <summary>True once the browser side is ready (the page is interactive and its modules are loaded).</summary>
    public bool IsReady => _driver is not null;

    internal void Attach(IStreamDriver driver)
    {
        _driver = driver;
        NotifyChanged();
    }

    /// <summary>The page went away: its camera and socket end with it (the driver stops them), so does the stream.</summary>
    internal void Detach(IStreamDriver driver)
    {
        if (ReferenceEquals(_driver, driver))
        {
            _driver = null;
            Stats = Stats with { Status = StreamStatus.Disconnected };
        }
    }

    /// <summary>Pre-selects a pipeline (from <c>?pipeline=</c>), even one the server does not have.</summary>
    public void Request(string? pipelineId)
    {
        if (!string.IsNullOrWhiteSpace(pipelineId))
        {
            PipelineId = pipelineId;
        }
    }

    public Task StartAsync() => RunAsync(StartCoreAsync);

    /// <summary>Clears the error and starts again with the pipeline now selected.</summary>
    public Task RetryAsync() => RunAsync(driver =>
    {
        Error = null;
        return StartCoreAsync(driver);
    });

    public Task StopAsync() => RunAsync(async driver =>
    {
        Stats = Stats with { Status = StreamStatus.Disconnected };
        NotifyChanged();
        await driver.CloseStreamAsync();
        await driver.StopCameraAsync();
    });

    /// <summary>A new pipeline: a live stream reconnects with it; a stopped one only remembers the choice.</summary>
    public Task SelectPipelineAsync(string pipelineId) => RunAsync(driver =>
    {
        PipelineId = pipelineId;
        return Status == StreamStatus.Disconnected ? NotifyChangedAsync() : OpenStreamAsync(driver);
    });

    public Task SelectCameraAsync(string? cameraId) => RunAsync(async driver =>
    {
        CameraId = cameraId;
        if (Status != StreamStatus.Disconnected)
        {
            await StartCameraAsync(driver);
        }
        else
        {
            NotifyChanged();
        }
    });

    private async Task StartCoreAsync(IStreamDriver driver)
    {
        CameraError = null;
        Stats = Stats with { Status = StreamStatus.Connecting, PipelineId = PipelineId };
        NotifyChanged();
        if (await StartCameraAsync(driver))
        {
            await OpenStreamAsync(driver);
        }
    }

    private async Task<bool> StartCameraAsync(IStreamDriver driver)
    {
        var camera = await driver.StartCameraAsync(CameraId);
        if (camera.Error is { } kind)
        {
            CameraError = kind;
            Stats = Stats with { Status = StreamStatus.Disconnected };
            NotifyChanged();
            return false;
        }

        CameraId = camera.DeviceId;
        Cameras = camera.Cameras ?? [];
        return true;
    }

    private async Task OpenStreamAsync(IStreamDriver driver)
    {
        _pacing.Reset();
        LastResult = null;
        LastResultFrameIndex = null;
        Stats = StreamStats.Idle with
        {
            Status = StreamStatus.Connecting, PipelineId = PipelineId, StartedAt = time.GetUtcNow(), Pace = _pacing.Pace,
        };
        NotifyChanged();
        // A frame larger than the pipeline uses would only cost encoding, bandwidth and decoding: the browser sends
        // it at the size the server would reduce it to. An unknown pipeline is refused by the server anyway.
        var fit = catalog.TryGet(PipelineId, out var pipeline) ? pipeline.DecodeFit : ImageSize.Full;
        await driver.OpenStreamAsync(PipelineId, _pacing.Pace, fit);
    }

    public void OnStreamOpened()
    {
        Stats = Stats with { Status = StreamStatus.Connected, StartedAt = time.GetUtcNow() };
        NotifyChanged();
    }

    /// <summary>
    /// One message from the stream, with what the browser measured: <paramref name="latencyMs"/> from capturing the
    /// frame it answers to receiving it, and the frames sent so far. Tells the browser the capture pace when it changes.
    /// </summary>
    public async Task OnStreamMessageAsync(string message, double? latencyMs, long framesSent)
    {
        var pace = _pacing.Pace;
        var s = Stats with { FramesSent = framesSent };
        switch (StreamMessage.Parse(message))
        {
            case StreamMessage.Result result:
                _pacing.OnResult();
                // With two frames in flight the answers may come in either order: the overlay only moves forward.
                if (result.FrameIndex > (LastResultFrameIndex ?? -1))
                {
                    LastResult = result.Frame;
                    LastResultFrameIndex = result.FrameIndex;
                }

                s = s with { FramesAnswered = s.FramesAnswered + 1, LastLatencyMs = latencyMs ?? s.LastLatencyMs, LastTimings = result.Timings ?? s.LastTimings };
                break;
            case StreamMessage.Dropped:
                _pacing.OnDropped();
                s = s with { FramesAnswered = s.FramesAnswered + 1, DroppedFrames = s.DroppedFrames + 1, LastLatencyMs = latencyMs ?? s.LastLatencyMs };
                break;
            case StreamMessage.Warning { Code: StreamMessage.SlowDown }:
                _pacing.OnSlowDown();
                s = s with { SlowDownWarnings = s.SlowDownWarnings + 1 };
                break;
            case StreamMessage.Error error:
                // The server closes the stream next; the close leaves this error in place.
                Error = new StreamProblem(error.Code, error.Detail);
                break;
        }

        _pacing.Recover();
        Stats = s with { Pace = _pacing.Pace };
        NotifyChanged();
        if (_pacing.Pace != pace && _driver is { } driver)
        {
            await driver.SetPaceAsync(_pacing.Pace);
        }
    }

    /// <summary>The frame socket closed without the person asking: after a stream error, or the connection was lost.</summary>
    public void OnStreamClosed(int closeCode)
    {
        Stats = Stats with { Status = StreamStatus.Disconnected };
        Error ??= new StreamProblem(StreamProblem.ConnectionLost, $"The stream closed with code {closeCode}.");
        NotifyChanged();
    }

    /// <summary>The page's circuit went down while streaming, and the browser ended the camera and the stream.</summary>
    public void OnStreamInterrupted()
    {
        Stats = Stats with { Status = StreamStatus.Disconnected };
        Error ??= new StreamProblem(StreamProblem.ConnectionLost, "The page lost its connection to the server; the camera and the stream were stopped.");
        NotifyChanged();
    }

    private async Task RunAsync(Func<IStreamDriver, Task> action)
    {
        await _actions.WaitAsync();
        try
        {
            if (_driver is { } driver)
            {
                await action(driver);
            }
        }
        finally
        {
            _actions.Release();
        }
    }

    private void NotifyChanged() => Changed?.Invoke();

    private Task NotifyChangedAsync()
    {
        NotifyChanged();
        return Task.CompletedTask;
    }
}
