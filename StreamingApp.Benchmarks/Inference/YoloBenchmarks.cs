using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Inference.Yolox;
using StreamingApp.Core.Pipelines;

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
    private ServiceProvider _services = null!;
    private YoloxDetector _detector = null!;
    private IJpegDecoder _decoder = null!;
    private IFramePipeline _pipeline = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private float[] _tensor = null!;
    private BgrImage _frame = null!;
    private byte[] _jpeg = null!;

    // One core, as the bare run has: the ratio compares the pipeline's work around the model, not threading.
    private readonly InferenceSlot _slot = InferenceSlot.Standalone(1);

    [GlobalSetup]
    public void Setup()
    {
        // Like a browser camera frame (canvas.toBlob("image/jpeg", 0.8): 640×480, 4:2:0, ~80 KB for this busy scene),
        // made from a COCO photo at setup (not committed: the photos are not ours to redistribute).
        _jpeg = Ffmpeg.ConvertJpeg(TestPaths.CocoImage("000000001000.jpg"), "scale=640:480,format=yuvj420p", quality: 5);
        _services = InferenceServices.Build();
        _decoder = _services.GetRequiredService<IJpegDecoder>();
        _detector = _services.GetRequiredService<YoloxDetector>();
        if (!_services.GetRequiredService<IPipelineCatalog>().TryGet("yolo", out var pipeline))
        {
            throw new InvalidOperationException("no yolo pipeline");
        }

        _pipeline = pipeline;
        _frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);

        // The bare run gets the same advantages as the pipeline: a prepared input and a pre-bound output buffer.
        _session = _services.GetRequiredService<InferenceSessionProvider>().GetSession(YoloxDetector.ModelName);
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
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BareRun() => _session.Run(_runOptions, ["images"], [_input], ["output"], [_output]);

    [Benchmark]
    public int YoloPipeline()
    {
        using var frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);
        return _pipeline.Process(frame, _slot, out _).Detections.Count;
    }

    [Benchmark]
    public int Decode()
    {
        using var frame = _decoder.Decode(_jpeg, _pipeline.DecodeFit);
        return frame.Width;
    }

    [Benchmark]
    public float Letterboxing() => Letterbox.Apply(_frame, _tensor, _detector.InputSize).Scale;
}
