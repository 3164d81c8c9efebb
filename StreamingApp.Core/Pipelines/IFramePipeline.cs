using StreamingApp.Core.Imaging;

namespace StreamingApp.Core.Pipelines;

/// <summary>
/// A configured chain of models that turns one decoded frame into a <see cref="FrameResult"/>.
/// Implementations are thread-safe: one instance serves every session and job at once.
/// </summary>
public interface IFramePipeline
{
    PipelineDefinition Definition { get; }

    /// <summary>Runs the pipeline synchronously on the calling thread (CPU-bound work).</summary>
    FrameResult Process(BgrImage frame, out StageTimings timings);
}
