using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Core.Inference.Yolox;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Pipelines.Steps;

namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// The yolo pipeline on a 640×480 JPEG against the bare <c>InferenceSession.Run</c> of the same model, in the
/// same run (target: pipeline ≤ 1.15 × bare run, ≤ 100 KB allocated per frame), plus its stages alone.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class YoloBenchmarks
{
    private ModelCatalog _catalog = null!;
    private InferenceSessionProvider _sessions = null!;
    private YoloxDetector _detector = null!;
    private PaddleOcr _ocr = null!;
    private TurboJpegDecoder _decoder = null!;
    private IFramePipeline _pipeline = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private float[] _tensor = null!;
    private BgrImage _frame = null!;
    private byte[] _jpeg = null!;

    [GlobalSetup]
    public void Setup()
    {
        var repo = FindRepoRoot();
        _jpeg = MakeTestJpeg(Path.Combine(repo, "..", "shared", "media", "coco", "000000001000.jpg"));
        _catalog = new ModelCatalog(Options.Create(new ModelOptions { Directory = Path.Combine(repo, "models") }), NullLogger<ModelCatalog>.Instance);
        _sessions = new InferenceSessionProvider(_catalog, Options.Create(new InferenceOptions()), NullLogger<InferenceSessionProvider>.Instance);
        _detector = new YoloxDetector(_sessions, _catalog);
        _decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        _ocr = new PaddleOcr(_sessions, _catalog, Options.Create(new PaddleOcrOptions())); // the folder's ocr pipelines need it
        var pipelines = new PipelineCatalog(
            Options.Create(new PipelineOptions { Directory = Path.Combine(repo, "StreamingApp", "pipelines") }),
            [new ObjectsStep(_detector), new TextStep(_ocr)],
            NullLogger<PipelineCatalog>.Instance);
        if (!pipelines.TryGet("yolo", out var pipeline))
        {
            throw new InvalidOperationException("no yolo pipeline");
        }

        _pipeline = pipeline;
        _frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);

        // The bare run gets the same advantages as the pipeline: a prepared input and a pre-bound output buffer.
        _session = _sessions.GetSession(YoloxDetector.ModelName);
        _runOptions = new RunOptions();
        _tensor = GC.AllocateArray<float>(3 * 416 * 416, pinned: true);
        Letterbox.Apply(_frame, _tensor, _detector.InputSize);
        _input = OrtValue.CreateTensorValueFromMemory(_tensor, [1, 3, 416, 416]);
        _output = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<float>(3549 * 85, pinned: true), [1, 3549, 85]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _frame.Dispose();
        _detector.Dispose();
        _ocr.Dispose();
        _sessions.Dispose();
        _decoder.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BareRun() => _session.Run(_runOptions, ["images"], [_input], ["output"], [_output]);

    [Benchmark]
    public int YoloPipeline()
    {
        using var frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);
        return _pipeline.Process(frame, out _).Detections.Count;
    }

    [Benchmark]
    public int Decode()
    {
        using var frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);
        return frame.Width;
    }

    [Benchmark]
    public float Letterboxing() => Letterbox.Apply(_frame, _tensor, _detector.InputSize).Scale;

    /// <summary>
    /// A 640×480 JPEG like a browser camera frame (<c>canvas.toBlob("image/jpeg", 0.8)</c>: 4:2:0 chroma, ~80 KB for this
    /// busy scene), made from a COCO photo at setup (not committed: the photos are not ours to redistribute).
    /// </summary>
    private static byte[] MakeTestJpeg(string photo)
    {
        var psi = new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", photo, "-vf", "scale=640:480,format=yuvj420p", "-q:v", "5", "-f", "image2pipe", "-c:v", "mjpeg", "-"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        using var jpeg = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(jpeg);
        process.WaitForExit();
        return process.ExitCode == 0 ? jpeg.ToArray() : throw new InvalidOperationException($"ffmpeg failed on {photo}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamingApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamingApp.sln not found above " + AppContext.BaseDirectory);
    }
}
