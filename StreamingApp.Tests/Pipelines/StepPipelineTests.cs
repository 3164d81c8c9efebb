using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StreamingApp.Core.Pipelines.Steps;

namespace StreamingApp.Tests.Pipelines;

[Collection(ModelsCollection.Name)]
public sealed class StepPipelineTests(Models models)
{
    private IFramePipeline Yolo()
    {
        var catalog = new PipelineCatalog(
            Options.Create(new PipelineOptions { Directory = Path.Combine(TestPaths.RepoRoot, "StreamingApp", "pipelines") }),
            models.Steps,
            NullLogger<PipelineCatalog>.Instance);
        Assert.True(catalog.TryGet("yolo", out var pipeline));
        return pipeline;
    }

    [Fact]
    public void Process_YoloOnBusPhoto_ReturnsNormalizedDetectionsWithoutTexts()
    {
        var pipeline = Yolo();
        using var frame = models.DecodeCoco("000000001584.jpg", pipeline.DecodeFit);

        var result = pipeline.Process(frame, InferenceSlot.Standalone(1), out var timings);

        BoxAssert.HasDetection(result.Detections, "bus", 0.215f, 0.139f, 0.644f, 0.738f);
        Assert.Null(result.Texts);
        Assert.True(timings.InferenceMs > 0 && timings.PreprocessMs > 0);
    }

    [Fact]
    public void Process_YoloResult_SerializesToTheWireSchema()
    {
        var pipeline = Yolo();
        using var frame = models.DecodeCoco("000000001584.jpg", pipeline.DecodeFit);

        var json = System.Text.Json.JsonSerializer.Serialize(pipeline.Process(frame, InferenceSlot.Standalone(1), out _), PipelineJson.Default.FrameResult);

        Assert.StartsWith("""{"detections":[{"x":""", json, StringComparison.Ordinal);
        Assert.Contains("\"label\":\"bus\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("texts", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_TextStep_AddsTextsAndSumsTimings()
    {
        var text = new RecognizedText(0.1f, 0.2f, 0.3f, 0.04f, "EXIT 42", 0.97f);
        var step = new Mock<IPipelineStep>();
        step.SetupGet(s => s.DecodeFit).Returns(ImageSize.Full);
        step.Setup(s => s.Run(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), It.IsAny<PipelineOutput>()))
            .Callback((BgrImage _, InferenceSlot _, PipelineOutput output) => output.AddTexts([text], new StageTimings(1, 2, 3)));
        var pipeline = new StepPipeline(new PipelineDefinition("t", "T", "D", ["text", "text"], null), [step.Object, step.Object]);
        using var frame = BgrImage.Rent(8, 8);

        var result = pipeline.Process(frame, InferenceSlot.Standalone(1), out var timings);

        Assert.Equal([text, text], result.Texts);
        Assert.Empty(result.Detections);
        Assert.Equal(new StageTimings(2, 4, 6), timings);
        Assert.True(pipeline.DecodeFit.IsFull);
    }
}
