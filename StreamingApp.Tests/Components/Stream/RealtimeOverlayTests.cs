using System.Globalization;
using AngleSharp.Dom;

namespace StreamingApp.Tests.Components.Stream;

public sealed class RealtimeOverlayTests : UiTests
{
    private readonly BunitJSModuleInterop _elementSize;

    public RealtimeOverlayTests() => _elementSize = Ui.SetupElementSize();

    private static readonly FrameResult BusAndPerson = new(
        [new Detection(0.125f, 0.25f, 0.5f, 0.375f, "bus", 0.912f), new Detection(0.7f, 0.1f, 0.1f, 0.6f, "person", 0.55f)], null);

    private IRenderedComponent<RealtimeOverlay> RenderShown(FrameResult result, long frameIndex, double width, double height)
    {
        var cut = Ui.Render<RealtimeOverlay>(p => p.Add(o => o.Result, result).Add(o => o.FrameIndex, frameIndex));
        cut.InvokeAsync(() => cut.Instance.OnDisplaySize(width, height));
        return cut;
    }

    [Fact]
    public void Render_FirstTime_ObservesItsOwnDisplayedSize()
    {
        var cut = Ui.Render<RealtimeOverlay>();

        var observe = Assert.Single(_elementSize.Invocations["observe"]);
        Assert.IsType<Microsoft.AspNetCore.Components.ElementReference>(observe.Arguments[0]);
        Assert.Empty(cut.FindAll("svg"));
    }

    [Fact]
    public void DisplaySize_Detections_BoxesScaledToTheDisplayedPixelsWithCaptions()
    {
        var cut = RenderShown(BusAndPerson, 41, width: 800, height: 600);

        var boxes = cut.FindAll("[data-testid=detection]");
        Assert.Equal(["bus", "person"], boxes.Select(b => b.GetAttribute("data-label")));
        Assert.Equal((100, 150, 400, 225), Rect(boxes[0].QuerySelector("rect.box")!));
        Assert.Equal((560, 60, 80, 360), Rect(boxes[1].QuerySelector("rect.box")!));
        Assert.Equal("bus 91%", boxes[0].TextContent.Trim());
        Assert.Equal("person 55%", boxes[1].TextContent.Trim());
        Assert.Equal("0 0 800 600", cut.Find("svg").GetAttribute("viewBox"));
        Assert.Equal("frame 41", cut.Find("[data-testid=frame-index]").TextContent);
        Assert.Equal("41", cut.Find(".overlay").GetAttribute("data-frame-index"));
    }

    [Fact]
    public void DisplaySize_Changes_BoxesFollowTheNewSize()
    {
        var cut = RenderShown(BusAndPerson, 0, width: 800, height: 600);

        cut.InvokeAsync(() => cut.Instance.OnDisplaySize(390, 292.5));

        Assert.Equal((48.8, 73.1, 195, 109.7), Rect(cut.Find("[data-testid=detection] rect.box")));
    }

    [Fact]
    public void CoincidingBoxes_Captions_DoNotOverlapEachOther()
    {
        var same = new Detection(0.3f, 0.3f, 0.2f, 0.2f, "car", 0.9f);
        var result = new FrameResult([same, same with { Label = "truck", Score = 0.6f }, same with { Label = "bus", Score = 0.4f }], null);

        var cut = RenderShown(result, 0, width: 640, height: 480);

        var captions = cut.FindAll("rect.caption").Select(Rect).ToList();
        Assert.Equal(3, captions.Count);
        for (var i = 0; i < captions.Count; i++)
        {
            for (var j = i + 1; j < captions.Count; j++)
            {
                Assert.False(Overlap(captions[i], captions[j]), $"caption {i} {captions[i]} covers caption {j} {captions[j]}");
            }
        }
    }

    [Fact]
    public void DisplaySize_Texts_DrawsTheTextBoxWithTheRecognizedText()
    {
        var cut = RenderShown(new FrameResult([], [new RecognizedText(0.2f, 0.3f, 0.4f, 0.1f, "EXIT 42", 0.98f)]), 3, 1000, 500);

        var text = cut.Find("[data-testid=text]");
        Assert.Equal((200, 150, 400, 50), Rect(text.QuerySelector("rect.box")!));
        Assert.Equal("EXIT 42", text.TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=detection]"));
    }

    [Fact]
    public void Render_NoResult_NoBoxesAndNoFrameIndex()
    {
        var cut = Ui.Render<RealtimeOverlay>();
        cut.InvokeAsync(() => cut.Instance.OnDisplaySize(640, 480));

        Assert.Empty(cut.FindAll("[data-testid=detection]"));
        Assert.Empty(cut.FindAll("[data-testid=frame-index]"));
    }

    [Fact]
    public async Task Dispose_StopsObservingItsSize()
    {
        Ui.Render<RealtimeOverlay>();

        await Ui.DisposeComponentsAsync();

        Assert.Single(_elementSize.Invocations["unobserve"]);
    }

    private static (double X, double Y, double W, double H) Rect(IElement rect)
    {
        double A(string name) => Math.Round(double.Parse(rect.GetAttribute(name)!, CultureInfo.InvariantCulture), 1);
        return (A("x"), A("y"), A("width"), A("height"));
    }

    private static bool Overlap((double X, double Y, double W, double H) a, (double X, double Y, double W, double H) b) =>
        a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
}
