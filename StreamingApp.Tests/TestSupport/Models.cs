using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Core.Inference.Yolox;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real models and decoder, created once per test run and shared by test classes (sessions are thread-safe
/// and expensive to create, as in the app). Sessions for one and two threads per run, whatever the machine, so the
/// tests of runs on idle cores mean the same everywhere.
/// </summary>
public sealed class Models : IDisposable
{
    private readonly ServiceProvider _services = InferenceServices.Build(new Dictionary<string, string?>
    {
        ["Inference:MaxConcurrentFrames"] = "2",
        ["Inference:MaxThreadsPerRun"] = "2",
    });

    public Models()
    {
        Catalog = _services.GetRequiredService<ModelCatalog>();
        Sessions = _services.GetRequiredService<InferenceSessionProvider>();
        Yolox = _services.GetRequiredService<YoloxDetector>();
        Ocr = _services.GetRequiredService<PaddleOcr>();
        Decoder = _services.GetRequiredService<IJpegDecoder>();
        Steps = [.. _services.GetServices<IPipelineStepFactory>()];
    }

    public ModelCatalog Catalog { get; }

    public InferenceSessionProvider Sessions { get; }

    public YoloxDetector Yolox { get; }

    public PaddleOcr Ocr { get; }

    /// <summary>Every built-in pipeline step, as <c>AddPipelines()</c> registers them.</summary>
    public IPipelineStepFactory[] Steps { get; }

    public IJpegDecoder Decoder { get; }

    public BgrImage DecodeCoco(string name, ImageSize fit = default) => Decoder.Decode(File.ReadAllBytes(TestPaths.CocoImage(name)), fit);

    public void Dispose() => _services.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<Models>
{
    public const string Name = "Models";
}
