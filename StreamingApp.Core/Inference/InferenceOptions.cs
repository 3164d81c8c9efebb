namespace StreamingApp.Core.Inference;

/// <summary>ONNX Runtime threading and the process-wide inference bound (configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>
    /// Threads per inference. 1 by default: frames run in parallel across sessions instead (the scheduler admits
    /// about one frame per core), which measured faster here (7.8 ms vs 8.9 ms with 2 threads) and never oversubscribes.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Frames in inference at once across all sessions and jobs (<see cref="InferenceScheduler"/>): about one per
    /// core, since each inference uses one thread.
    /// </summary>
    public int MaxConcurrentFrames { get; set; } = Environment.ProcessorCount;

    /// <summary>Busy-waiting ORT worker threads burn a core between runs; off so concurrent work gets the CPU.</summary>
    public bool AllowSpinning { get; set; }
}
