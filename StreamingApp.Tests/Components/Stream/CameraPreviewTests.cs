using Bunit;
using Microsoft.JSInterop;
using StreamingApp.Components.Stream;

namespace StreamingApp.Tests.Components.Stream;

/// <summary>CameraPreview between the page's state and the JS fake of its two modules (camera, frame stream).</summary>
public sealed class CameraPreviewTests : IDisposable
{
    private readonly UiTestContext _ui = new();
    private readonly BunitJSModuleInterop _camera;
    private readonly BunitJSModuleInterop _stream;

    public CameraPreviewTests()
    {
        _camera = _ui.JSInterop.SetupModule("./js/camera.js").SetupModule("createCamera", _ => true);
        _camera.SetupVoid("stop", _ => true).SetVoidResult();
        _camera.SetupVoid("dispose", _ => true).SetVoidResult();
        _stream = _ui.JSInterop.SetupModule("./js/frame-stream.js").SetupModule("createFrameStream", _ => true);
        foreach (var method in new[] { "open", "close", "setPace", "dispose" })
        {
            _stream.SetupVoid(method, _ => true).SetVoidResult();
        }
    }

    public void Dispose() => _ui.Dispose();

    private void CameraAnswers(CameraStart answer) => _camera.Setup<CameraStart>("start", _ => true).SetResult(answer);

    private static readonly CameraStart OneCamera = new(null, "cam-1", [new CameraDevice("cam-1", "Front camera")]);

    [Fact]
    public void Render_FirstTime_LoadsBothModulesAndMakesTheStateReady()
    {
        Assert.False(_ui.State.IsReady);

        _ui.Render<CameraPreview>();

        Assert.True(_ui.State.IsReady);
        Assert.Single(_ui.JSInterop.Invocations["import"], i => Equals(i.Arguments[0], "./js/camera.js"));
        Assert.Single(_ui.JSInterop.Invocations["import"], i => Equals(i.Arguments[0], "./js/frame-stream.js"));
    }

    [Fact]
    public async Task Start_CameraStarts_OpensTheStreamForThePipelineAtFifteenFps()
    {
        CameraAnswers(OneCamera);
        var cut = _ui.Render<CameraPreview>();

        await cut.InvokeAsync(_ui.State.StartAsync);

        Assert.Single(_camera.Invocations["start"]);
        var open = Assert.Single(_stream.Invocations["open"]);
        Assert.Equal(["yolo", new CapturePace(15, 2)], open.Arguments);
        Assert.Equal(StreamStatus.Connecting, _ui.State.Status);
    }

    [Fact]
    public async Task Start_CameraDenied_ExplainsItAndOpensNoStream()
    {
        CameraAnswers(new CameraStart("permission_denied", null, null));
        var cut = _ui.Render<CameraPreview>();

        await cut.InvokeAsync(_ui.State.StartAsync);
        cut.Render();

        Assert.Empty(_stream.Invocations["open"]);
        Assert.Equal("permission_denied", cut.Find("[data-testid=camera-error]").GetAttribute("data-kind"));
        Assert.StartsWith("Camera access was denied.", cut.Find("[data-testid=camera-error]").TextContent);
        Assert.Equal(StreamStatus.Disconnected, _ui.State.Status);
    }

    [Fact]
    public async Task Stop_WhileStreaming_ClosesTheStreamAndStopsTheCamera()
    {
        CameraAnswers(OneCamera);
        var cut = _ui.Render<CameraPreview>();
        await cut.InvokeAsync(_ui.State.StartAsync);

        await cut.InvokeAsync(_ui.State.StopAsync);

        Assert.Single(_stream.Invocations["close"]);
        Assert.Single(_camera.Invocations["stop"]);
        Assert.Equal(StreamStatus.Disconnected, _ui.State.Status);
    }

    [Fact]
    public async Task SlowDownAnswer_FromTheModule_TellsTheModuleFiveFps()
    {
        CameraAnswers(OneCamera);
        var cut = _ui.Render<CameraPreview>();
        await cut.InvokeAsync(_ui.State.StartAsync);

        await cut.InvokeAsync(() => cut.Instance.OnStreamMessage("""{"warning":"slow_down"}""", null, 12));

        var setPace = Assert.Single(_stream.Invocations["setPace"]);
        Assert.Equal(5, Assert.IsType<CapturePace>(Assert.Single(setPace.Arguments)).MaxFps);
    }

    [Fact]
    public async Task ResultAnswer_FromTheModule_ReachesTheState()
    {
        CameraAnswers(OneCamera);
        var cut = _ui.Render<CameraPreview>();
        await cut.InvokeAsync(_ui.State.StartAsync);

        await cut.InvokeAsync(cut.Instance.OnStreamOpened);
        await cut.InvokeAsync(() => cut.Instance.OnStreamMessage(
            """{"frame_index":0,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]},"timings":{"decode_ms":1,"inference_ms":8,"total_ms":10}}""",
            25, 1));

        Assert.Equal(StreamStatus.Connected, _ui.State.Status);
        Assert.Equal("bus", Assert.Single(_ui.State.LastResult!.Detections).Label);
        Assert.Equal(25, _ui.State.Stats.LastLatencyMs);
        Assert.Empty(_stream.Invocations["setPace"]);
    }

    [Fact]
    public async Task Dispose_WhileStreaming_EndsTheStreamAndTheCameraAndDetaches()
    {
        CameraAnswers(OneCamera);
        var cut = _ui.Render<CameraPreview>();
        await cut.InvokeAsync(_ui.State.StartAsync);

        await _ui.DisposeComponentsAsync();

        Assert.Single(_stream.Invocations["dispose"]);
        Assert.Single(_camera.Invocations["dispose"]);
        Assert.False(_ui.State.IsReady);
        Assert.Equal(StreamStatus.Disconnected, _ui.State.Status);
    }

    [Fact]
    public async Task Dispose_CircuitAlreadyGone_IsTolerated()
    {
        _stream.SetupVoid("dispose", _ => true).SetException(new JSDisconnectedException("The circuit is gone."));
        _ui.Render<CameraPreview>();

        await _ui.DisposeComponentsAsync();

        Assert.False(_ui.State.IsReady);
    }

    [Fact]
    public async Task Start_SeveralCameras_OffersAChoiceAndRestartsTheCameraWithTheChosenOne()
    {
        CameraAnswers(new CameraStart(null, "cam-1", [new CameraDevice("cam-1", "Front"), new CameraDevice("cam-2", "Back")]));
        var cut = _ui.Render<CameraPreview>();
        await cut.InvokeAsync(_ui.State.StartAsync);
        cut.Render();

        cut.Find(".camera-choice select").Change("cam-2");

        Assert.Equal(["Front", "Back"], cut.FindAll(".camera-choice option").Select(o => o.TextContent));
        Assert.Equal("cam-2", _camera.Invocations["start"][^1].Arguments[0]);
    }
}
