using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Core.Inference;

/// <summary>
/// One model's ONNX Runtime sessions, one per intra-op thread count from 1 to <see cref="MaxThreads"/>: a run uses
/// the session for the threads <see cref="InferenceSlot.BorrowForRun"/> gave it. Owned by <see cref="InferenceSessionProvider"/>.
/// </summary>
public sealed class ModelSessions
{
    private readonly InferenceSession[] _byThreads;

    internal ModelSessions(InferenceSession[] byThreads)
    {
        _byThreads = byThreads;
    }

    public int MaxThreads => _byThreads.Length;

    /// <summary>The session whose runs use <paramref name="threads"/> threads (1 to <see cref="MaxThreads"/>).</summary>
    public InferenceSession this[int threads] => _byThreads[threads - 1];
}
