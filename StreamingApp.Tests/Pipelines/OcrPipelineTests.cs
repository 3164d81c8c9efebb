using Microsoft.Extensions.Logging.Abstractions;
using StreamingApp.Tests.Inference.Ocr;

namespace StreamingApp.Tests.Pipelines;

[Collection(ModelsCollection.Name)]
public sealed class OcrPipelineTests(Models models)
{
    /// <summary>A white panel with a line of text, drawn under the bus of COCO 000000001584 (612×612).</summary>
    private static readonly TextImageSpec BusStopSign = new("bus-stop", 612, 612, "white", "black",
        [new("BUS STOP 42", 40, 520, 48)], "drawbox=x=20:y=505:w=400:h=80:color=white:t=fill");

    private IFramePipeline Load(string id)
    {
        var catalog = new PipelineCatalog(
            Options.Create(new PipelineOptions { Directory = Path.Combine(TestPaths.RepoRoot, "StreamingApp", "pipelines") }),
            models.Steps,
            NullLogger<PipelineCatalog>.Instance);
        Assert.True(catalog.TryGet(id, out var pipeline));
        return pipeline;
    }

    [Fact]
    public void Process_OcrOnGeneratedTextImage_ReturnsEveryLineAndNoDetections()
    {
        // Arrange
        var pipeline = Load("ocr");
        var spec = OcrTextImages.BlackOnWhite;
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(spec), pipeline.DecodeFit);

        // Act
        var result = pipeline.Process(frame, InferenceSlot.Standalone(1), out var timings);

        // Assert
        Assert.Equal(new ImageSize(1920, 1920), pipeline.DecodeFit);
        Assert.Empty(result.Detections);
        Assert.NotNull(result.Texts);
        Assert.Equal(spec.Lines.Select(l => l.Text), result.Texts.Select(t => t.Text));
        Assert.All(result.Texts, t => Assert.True(t.X >= 0 && t.Y >= 0 && t.X + t.W <= 1 && t.Y + t.H <= 1));
        Assert.True(timings.InferenceMs > 0);
    }

    [Fact]
    public void Process_YoloOcrOnPhotoWithSign_ReturnsTheBusAndTheSignText()
    {
        // Arrange
        var pipeline = Load("yolo_ocr");
        using var frame = models.Decoder.Decode(OcrTextImages.DrawOnto(TestPaths.CocoImage("000000001584.jpg"), BusStopSign), pipeline.DecodeFit);

        // Act
        var result = pipeline.Process(frame, InferenceSlot.Standalone(1), out _);

        // Assert
        Assert.Contains(result.Detections, d => d.Label == "bus" && d.Score >= 0.5f);
        Assert.NotNull(result.Texts);
        var sign = Assert.Single(result.Texts, t => t.Text == "BUS STOP 42");
        Assert.InRange(sign.Y * 612, 505, 560);
    }

    [Fact]
    public void Process_YoloOcrResult_SerializesDetectionsAndTextsToTheWireSchema()
    {
        // Arrange
        var pipeline = Load("yolo_ocr");
        using var frame = models.Decoder.Decode(OcrTextImages.DrawOnto(TestPaths.CocoImage("000000001584.jpg"), BusStopSign), pipeline.DecodeFit);

        // Act
        var json = JsonSerializer.Serialize(pipeline.Process(frame, InferenceSlot.Standalone(1), out _), PipelineJson.Default.FrameResult);

        // Assert
        Assert.Contains("\"label\":\"bus\"", json, StringComparison.Ordinal);
        Assert.Contains("\"texts\":[", json, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"BUS STOP 42\"", json, StringComparison.Ordinal);
    }
}
