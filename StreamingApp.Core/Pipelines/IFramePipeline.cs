using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;

namespace StreamingApp.Core.Pipelines;

/// <summary>
/// A configured chain of models that turns one decoded frame into a <see cref="FrameResult"/>.
/// Implementations are thread-safe: one instance serves every session and job at once.
/// </summary>
public interface IFramePipeline
{
    PipelineDefinition Definition { get; }

    /// <summary>
    /// The smallest frame the pipeline needs: pass it to <see cref="IJpegDecoder.Decode(ReadOnlySpan{byte}, ImageSize)"/>
    /// so a JPEG larger than the model input decodes at a reduced DCT scale (faster, same results, since results
    /// are normalized to the frame). <see cref="ImageSize.Full"/> when a step wants every pixel (e.g. OCR).
    /// </summary>
    ImageSize DecodeFit => ImageSize.Full;

    /// <summary>
    /// Runs the pipeline synchronously on the calling thread (CPU-bound work), in the frame's
    /// <paramref name="slot"/>: its model runs may borrow the slot's idle cores.
    /// </summary>
    FrameResult Process(BgrImage frame, InferenceSlot slot, out StageTimings timings);
}
