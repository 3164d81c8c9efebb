namespace StreamingApp.Core.Inference;

public enum InferencePriority
{
    /// <summary>Live stream frames: served first, in arrival order, so no session starves another.</summary>
    Interactive,

    /// <summary>Upload jobs: use only capacity no live frame is waiting for.</summary>
    Background,
}

/// <summary>
/// Bounds the number of frames in inference at once across the whole process (about the core count),
/// so concurrent sessions and jobs share the CPU instead of oversubscribing it.
/// </summary>
public interface IInferenceScheduler
{
    /// <summary>Waits for a slot; dispose the returned lease to give it back.</summary>
    ValueTask<IDisposable> AcquireAsync(InferencePriority priority, CancellationToken cancellationToken);
}
