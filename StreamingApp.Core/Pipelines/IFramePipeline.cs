namespace StreamingApp.Core.Pipelines;

/// <summary>
/// A configured chain of models that turns one decoded frame into a <see cref="FrameResult"/>.
/// Implementations are thread-safe: one instance serves every session and job at once.
/// </summary>
public interface IFramePipeline
{
    PipelineDefinition Definition { get; }

    /// <summary>
    /// The smallest frame the pipeline needs: frames larger than this box are decoded smaller — a JPEG at a reduced
    /// DCT scale (<see cref="IJpegDecoder.Decode(ReadOnlySpan{byte}, ImageSize)"/>), a video frame scaled down by
    /// ffmpeg (<see cref="VideoFrameRequest.Fit"/>) — never below what fitting into the box needs, so results, being
    /// normalized to the frame, barely change while time and memory stop growing with the input's resolution. yolo:
    /// the model input (416×416); ocr: twice the detector's largest side (1920×1920). <see cref="ImageSize.Full"/>
    /// when a pipeline wants every pixel.
    /// </summary>
    ImageSize DecodeFit => ImageSize.Full;

    /// <summary>
    /// Runs the pipeline synchronously on the calling thread (CPU-bound work), in the frame's
    /// <paramref name="slot"/>: its model runs may borrow the slot's idle cores.
    /// </summary>
    FrameResult Process(BgrImage frame, InferenceSlot slot, out StageTimings timings);
}
