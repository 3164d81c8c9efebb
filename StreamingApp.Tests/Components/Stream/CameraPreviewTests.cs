using Microsoft.JSInterop;
using Microsoft.JSInterop.Infrastructure;
using Moq;

namespace StreamingApp.Tests.Components.Stream;

/// <summary>CameraPreview between the page's state and the JS fake of its two modules (camera, frame stream).</summary>
public sealed class CameraPreviewTests : UiTests
{
    private readonly BunitJSModuleInterop _camera;
    private readonly BunitJSModuleInterop _stream;

    public CameraPreviewTests()
    {
        _camera = Ui.JSInterop.SetupModule("./js/camera.js").SetupModule("createCamera", _ => true);
        _camera.SetupVoid("stop", _ => true).SetVoidResult();
        _camera.SetupVoid("dispose", _ => true).SetVoidResult();
        _stream = Ui.JSInterop.SetupModule("./js/frame-stream.js").SetupModule("createFrameStream", _ => true);
        foreach (var method in new[] { "open", "close", "setPace", "dispose" })
        {
            _stream.SetupVoid(method, _ => true).SetVoidResult();
        }
    }

    private void CameraAnswers(CameraStart answer) => _camera.Setup<CameraStart>("start", _ => true).SetResult(answer);

    /// <summary>The preview rendered and started with one camera.</summary>
    private async Task<IRenderedComponent<CameraPreview>> StreamingAsync()
    {
        CameraAnswers(OneCamera);
        var cut = Ui.Render<CameraPreview>();
        await cut.InvokeAsync(Ui.State.StartAsync);
        return cut;
    }

    private static readonly CameraStart OneCamera = new(null, "cam-1", [new CameraDevice("cam-1", "Front camera")]);

    [Fact]
    public void Render_FirstTime_LoadsBothModulesAndMakesTheStateReady()
    {
        Assert.False(Ui.State.IsReady);

        Ui.Render<CameraPreview>();

        Assert.True(Ui.State.IsReady);
        Assert.Single(Ui.JSInterop.Invocations["import"], i => Equals(i.Arguments[0], "./js/camera.js"));
        Assert.Single(Ui.JSInterop.Invocations["import"], i => Equals(i.Arguments[0], "./js/frame-stream.js"));
    }

    [Fact]
    public async Task Start_CameraStarts_OpensTheStreamForThePipelineAtFifteenFpsCapturedToItsFit()
    {
        CameraAnswers(OneCamera);
        var cut = Ui.Render<CameraPreview>();

        await cut.InvokeAsync(Ui.State.StartAsync);

        Assert.Single(_camera.Invocations["start"]);
        var open = Assert.Single(_stream.Invocations["open"]);
        Assert.Equal(["yolo", new CapturePace(15, 2), new ImageSize(416, 416)], open.Arguments);
        Assert.Equal(StreamStatus.Connecting, Ui.State.Status);
    }

    [Fact]
    public async Task Start_CameraDenied_ExplainsItAndOpensNoStream()
    {
        CameraAnswers(new CameraStart("permission_denied", null, null));
        var cut = Ui.Render<CameraPreview>();

        await cut.InvokeAsync(Ui.State.StartAsync);
        cut.Render();

        Assert.Empty(_stream.Invocations["open"]);
        Assert.Equal("permission_denied", cut.Find("[data-testid=camera-error]").GetAttribute("data-kind"));
        Assert.StartsWith("Camera access was denied.", cut.Find("[data-testid=camera-error]").TextContent);
        Assert.Equal(StreamStatus.Disconnected, Ui.State.Status);
    }

    [Fact]
    public async Task Stop_WhileStreaming_ClosesTheStreamAndStopsTheCamera()
    {
        var cut = await StreamingAsync();

        await cut.InvokeAsync(Ui.State.StopAsync);

        Assert.Single(_stream.Invocations["close"]);
        Assert.Single(_camera.Invocations["stop"]);
        Assert.Equal(StreamStatus.Disconnected, Ui.State.Status);
    }

    [Fact]
    public async Task SlowDownAnswer_FromTheModule_TellsTheModuleFiveFps()
    {
        var cut = await StreamingAsync();

        await cut.InvokeAsync(() => cut.Instance.OnStreamMessage("""{"warning":"slow_down"}""", null, 12));

        var setPace = Assert.Single(_stream.Invocations["setPace"]);
        Assert.Equal(5, Assert.IsType<CapturePace>(Assert.Single(setPace.Arguments)).MaxFps);
    }

    [Fact]
    public async Task ResultAnswer_FromTheModule_ReachesTheState()
    {
        var cut = await StreamingAsync();

        await cut.InvokeAsync(cut.Instance.OnStreamOpened);
        await cut.InvokeAsync(() => cut.Instance.OnStreamMessage(
            """{"frame_index":0,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]},"timings":{"decode_ms":1,"inference_ms":8,"total_ms":10}}""",
            25, 1));

        Assert.Equal(StreamStatus.Connected, Ui.State.Status);
        Assert.Equal("bus", Assert.Single(Ui.State.LastResult!.Detections).Label);
        Assert.Equal(25, Ui.State.Stats.LastLatencyMs);
        Assert.Empty(_stream.Invocations["setPace"]);
    }

    [Fact]
    public async Task Dispose_WhileStreaming_EndsTheStreamAndTheCameraAndDetaches()
    {
        var cut = await StreamingAsync();

        await Ui.DisposeComponentsAsync();

        Assert.Single(_stream.Invocations["dispose"]);
        Assert.Single(_camera.Invocations["dispose"]);
        Assert.False(Ui.State.IsReady);
        Assert.Equal(StreamStatus.Disconnected, Ui.State.Status);
    }

    [Fact]
    public async Task Dispose_WhileTheModulesLoad_WhatLoadedIsDisposedAndNothingAttaches()
    {
        // The person leaves the page before its browser side is set up: the first module is still loading.
        var loading = new TaskCompletionSource<IJSObjectReference>();
        var module = new Mock<IJSObjectReference>();
        var instance = new Mock<IJSObjectReference>();
        module.Setup(m => m.InvokeAsync<IJSObjectReference>(It.IsAny<string>(), It.IsAny<object?[]?>())).ReturnsAsync(instance.Object);
        var js = new Mock<IJSRuntime>();
        js.Setup(r => r.InvokeAsync<IJSObjectReference>("import", It.IsAny<object?[]?>())).Returns(new ValueTask<IJSObjectReference>(loading.Task));
        await using var ui = new UiTestContext(c => c.Services.AddSingleton(js.Object));
        ui.Render<CameraPreview>();

        var disposing = ui.DisposeComponentsAsync();
        loading.SetResult(module.Object);
        await disposing;

        Assert.False(ui.State.IsReady);
        instance.Verify(c => c.InvokeAsync<IJSVoidResult>("dispose", It.IsAny<object?[]?>()), Times.Exactly(2)); // camera, frame stream
        module.Verify(m => m.DisposeAsync(), Times.Exactly(2));
    }

    [Fact]
    public async Task Dispose_CircuitAlreadyGone_IsTolerated()
    {
        _stream.SetupVoid("dispose", _ => true).SetException(new JSDisconnectedException("The circuit is gone."));
        Ui.Render<CameraPreview>();

        await Ui.DisposeComponentsAsync();

        Assert.False(Ui.State.IsReady);
    }

    [Fact]
    public async Task Start_SeveralCameras_OffersAChoiceAndRestartsTheCameraWithTheChosenOne()
    {
        CameraAnswers(new CameraStart(null, "cam-1", [new CameraDevice("cam-1", "Front"), new CameraDevice("cam-2", "Back")]));
        var cut = Ui.Render<CameraPreview>();
        await cut.InvokeAsync(Ui.State.StartAsync);
        cut.Render();

        cut.Find(".camera-choice select").Change("cam-2");

        Assert.Equal(["Front", "Back"], cut.FindAll(".camera-choice option").Select(o => o.TextContent));
        Assert.Equal("cam-2", _camera.Invocations["start"][^1].Arguments[0]);
    }
}
