namespace StreamingApp.Tests.Browser;

/// <summary>
/// One Chromium and one app for every browser test, run one test at a time (2 cores) and not alongside other test
/// classes: the soak test measures this process's managed heap, which parallel tests would grow.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real app (real pipelines, real /ws/video/stream) on Kestrel for the browser tests. Its pipeline folder holds
/// the built-in <c>yolo</c> and <c>yolo_ocr</c> (the slowest) plus <see cref="SecondPipeline"/>, a stricter YOLOX
/// pipeline, so a test can switch between two real pipelines whatever else is built in.
/// </summary>
public sealed class BrowserAppFixture : IDisposable
{
    public const string SecondPipeline = "yolo_strict";

    private readonly string _pipelines = Path.Combine(Path.GetTempPath(), "streamingapp-pipelines-" + Guid.NewGuid().ToString("N"));

    public BrowserAppFixture()
    {
        Directory.CreateDirectory(_pipelines);
        foreach (var builtIn in new[] { "yolo.json", "yolo_ocr.json" })
        {
            File.Copy(Path.Combine(TestPaths.RepoRoot, "StreamingApp", "pipelines", builtIn), Path.Combine(_pipelines, builtIn));
        }

        File.WriteAllText(Path.Combine(_pipelines, SecondPipeline + ".json"), $$$"""
            {"id":"{{{SecondPipeline}}}","name":"Objects, strict","description":"YOLOX-nano, score ≥ 0.5",
             "steps":["objects"],"parameters":{"score_threshold":0.5,"nms_threshold":0.45}}
            """);
        App = new KestrelAppHost(new Dictionary<string, string?> { ["Pipelines:Directory"] = _pipelines });
    }

    public KestrelAppHost App { get; }

    public void Dispose()
    {
        App.Dispose();
        Directory.Delete(_pipelines, recursive: true);
    }
}
