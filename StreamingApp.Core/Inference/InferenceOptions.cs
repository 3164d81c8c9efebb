namespace StreamingApp.Core.Inference;

/// <summary>ONNX Runtime threading and the process-wide inference bound (configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>
    /// The cores of <see cref="InferenceScheduler"/>: frames in work at once across all sessions and jobs, and threads
    /// busy in inference at once (a frame holds one core; its runs may borrow idle ones). One per core by default.
    /// </summary>
    public int MaxConcurrentFrames { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Most threads one model run may use when cores are idle (never more than <see cref="MaxConcurrentFrames"/>).
    /// Each count from 1 up is one more ONNX Runtime session per model; these small models gain little past a few
    /// threads, so the default stops at 4 (measured only up to 2 here).
    /// </summary>
    public int MaxThreadsPerRun { get; set; } = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>Busy-waiting ORT worker threads burn a core between runs; off so concurrent work gets the CPU.</summary>
    public bool AllowSpinning { get; set; }
}
