using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Inference.Yolox;

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
    private InferenceBench _bench = null!;
    private YoloxDetector _detector = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private float[] _tensor = null!;

    // One core, as the bare run has: the ratio compares the pipeline's work around the model, not threading.
    private readonly InferenceSlot _slot = InferenceSlot.Standalone(1);

    [GlobalSetup]
    public void Setup()
    {
        _bench = new InferenceBench(CameraFrame.Jpeg(), "yolo");
        _detector = _bench.Get<YoloxDetector>();

        // The bare run gets the same advantages as the pipeline: a prepared input and a pre-bound output buffer.
        _session = _bench.Get<InferenceSessionProvider>().GetSession(YoloxDetector.ModelName);
        _runOptions = new RunOptions();
        _tensor = GC.AllocateArray<float>(3 * 416 * 416, pinned: true);
        Letterbox.Apply(_bench.Frame, _tensor, _detector.InputSize);
        _input = OrtValue.CreateTensorValueFromMemory(_tensor, [1, 3, 416, 416]);
        _output = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<float>(3549 * 85, pinned: true), [1, 3549, 85]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _bench.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BareRun() => _session.Run(_runOptions, ["images"], [_input], ["output"], [_output]);

    [Benchmark]
    public int YoloPipeline()
    {
        using var frame = _bench.Decode();
        return _bench.Pipeline.Process(frame, _slot, out _).Detections.Count;
    }

    [Benchmark]
    public int Decode()
    {
        using var frame = _bench.Decode();
        return frame.Width;
    }

    [Benchmark]
    public float Letterboxing() => Letterbox.Apply(_bench.Frame, _tensor, _detector.InputSize).Scale;
}
