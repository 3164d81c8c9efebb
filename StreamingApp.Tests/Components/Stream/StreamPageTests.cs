using Microsoft.AspNetCore.Components;

namespace StreamingApp.Tests.Components.Stream;

/// <summary>The stream page as a whole: its parts wired to the state, with the JS fake of the browser modules.</summary>
public sealed class StreamPageTests : UiTests
{
    private readonly BunitJSModuleInterop _camera;
    private readonly BunitJSModuleInterop _stream;

    public StreamPageTests()
    {
        Ui.SetupElementSize();
        _camera = Ui.JSInterop.SetupModule("./js/camera.js").SetupModule("createCamera", _ => true);
        _camera.Setup<CameraStart>("start", _ => true).SetResult(new CameraStart(null, "cam-1", [new CameraDevice("cam-1", "Camera")]));
        _camera.SetupVoid("stop", _ => true).SetVoidResult();
        _camera.SetupVoid("dispose", _ => true).SetVoidResult();
        _stream = Ui.JSInterop.SetupModule("./js/frame-stream.js").SetupModule("createFrameStream", _ => true);
        foreach (var method in new[] { "open", "close", "setPace", "dispose" })
        {
            _stream.SetupVoid(method, _ => true).SetVoidResult();
        }
    }

    private IRenderedComponent<StreamPage> RenderPage(string? pipeline = null)
    {
        if (pipeline is not null)
        {
            var navigation = Ui.Services.GetRequiredService<NavigationManager>();
            navigation.NavigateTo(navigation.GetUriWithQueryParameter("pipeline", pipeline));
        }

        return Ui.Render<StreamPage>();
    }

    [Fact]
    public void Render_ModulesLoaded_ControlsEnabledAndDisconnected()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.False(cut.Find("button.primary").HasAttribute("disabled")));
        Assert.Equal("Start", cut.Find("button.primary").TextContent);
        Assert.Equal("disconnected", cut.Find("[data-testid=stream-status]").TextContent);
        Assert.Equal("yolo", cut.Find(".pipeline-selector select").GetAttribute("value"));
    }

    [Fact]
    public void StartClick_ThenAResult_StatusConnectedAndTheOverlayShowsTheFrame()
    {
        var cut = RenderPage();
        var preview = cut.FindComponent<CameraPreview>();
        var overlay = cut.FindComponent<RealtimeOverlay>();
        overlay.InvokeAsync(() => overlay.Instance.OnDisplaySize(640, 480));

        cut.Find("button.primary").Click();
        preview.InvokeAsync(preview.Instance.OnStreamOpened);
        preview.InvokeAsync(() => preview.Instance.OnStreamMessage(
            """{"frame_index":4,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]}}""", 30, 5));

        Assert.Equal(["yolo", new CapturePace(15, 2), new ImageSize(416, 416)], Assert.Single(_stream.Invocations["open"]).Arguments);
        cut.WaitForAssertion(() => Assert.Equal("connected", cut.Find("[data-testid=stream-status]").TextContent));
        Assert.Equal("bus", cut.Find("[data-testid=detection]").GetAttribute("data-label"));
        Assert.Equal("frame 4", cut.Find("[data-testid=frame-index]").TextContent);
    }

    [Fact]
    public void UnavailablePipeline_ServerRefuses_BannerThenRetryWithAnotherPipelineClearsIt()
    {
        var cut = RenderPage("nonexistent");
        var preview = cut.FindComponent<CameraPreview>();
        cut.Find("button.primary").Click();

        preview.InvokeAsync(() => preview.Instance.OnStreamMessage("""{"error":"invalid_pipeline","detail":"Unknown pipeline 'nonexistent'."}""", null, 0));
        preview.InvokeAsync(() => preview.Instance.OnStreamClosed(1008));
        cut.WaitForAssertion(() => Assert.Equal("The selected pipeline is not available.", cut.Find("[role=alert] .error-message").TextContent));
        cut.Find(".pipeline-selector select").Change("yolo");
        cut.Find("[role=alert] button").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=alert]")));
        Assert.Equal(["nonexistent", "yolo"], _stream.Invocations["open"].Select(i => i.Arguments[0]));
    }

    [Fact]
    public void StopClick_WhileStreaming_ClosesTheStreamAndStopsTheCamera()
    {
        var cut = RenderPage();
        cut.Find("button.primary").Click();

        cut.FindAll("button").Single(b => b.TextContent == "Stop").Click();

        Assert.Single(_stream.Invocations["close"]);
        Assert.Single(_camera.Invocations["stop"]);
        Assert.Equal("disconnected", cut.Find("[data-testid=stream-status]").TextContent);
    }
}
