using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Core.Inference.Yolox;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Pipelines.Steps;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real models and decoder, created once per test run and shared by test classes (sessions are thread-safe
/// and expensive to create, as in the app).
/// </summary>
public sealed class Models : IDisposable
{
    public Models()
    {
        Catalog = new ModelCatalog(Options.Create(new ModelOptions { Directory = TestPaths.ModelsDirectory }), NullLogger<ModelCatalog>.Instance);
        Sessions = new InferenceSessionProvider(Catalog, Options.Create(new InferenceOptions()), NullLogger<InferenceSessionProvider>.Instance);
        Yolox = new YoloxDetector(Sessions, Catalog);
        Ocr = new PaddleOcr(Sessions, Catalog, Options.Create(new PaddleOcrOptions()));
        Decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
    }

    public ModelCatalog Catalog { get; }

    public InferenceSessionProvider Sessions { get; }

    public YoloxDetector Yolox { get; }

    public PaddleOcr Ocr { get; }

    /// <summary>Every built-in pipeline step, as <c>AddPipelines()</c> registers them.</summary>
    public IPipelineStepFactory[] Steps => [new ObjectsStep(Yolox), new TextStep(Ocr)];

    public TurboJpegDecoder Decoder { get; }

    public BgrImage DecodeCoco(string name, ImageSize fit = default) => Decoder.Decode(File.ReadAllBytes(TestPaths.CocoImage(name)), fit);

    public void Dispose()
    {
        Yolox.Dispose();
        Ocr.Dispose();
        Sessions.Dispose();
        Decoder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<Models>
{
    public const string Name = "Models";
}
