using Microsoft.Extensions.Logging;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// The work on one admitted frame of a session, on the calling thread, once its slot holds a core: decode (no larger
/// than the pipeline needs), run the pipeline in the slot, record timings and metrics. Answers with the result, or
/// with the error that ends the session.
/// </summary>
internal sealed class FrameProcessor(
    IJpegDecoder decoder, IFramePipeline pipeline, StreamSession session, StreamMetrics metrics, TimeProvider time, ILogger logger)
{
    public OutgoingMessage Process(FrameBuffer frame, long index, long receivedAt, InferenceSlot slot)
    {
        var decodeStart = time.GetTimestamp();
        BgrImage image;
        try
        {
            // Decoded no larger than the pipeline needs (DCT scaling): results are normalized to the frame anyway.
            image = decoder.Decode(frame.Span, pipeline.DecodeFit);
        }
        catch (ImageDecodeException ex)
        {
            logger.FrameRefused(session.SessionId, index, StreamErrors.InvalidFrame, ex.Message);
            return Error(StreamErrors.InvalidFrame, ex.Message);
        }
        finally
        {
            frame.Dispose();
        }

        var pipelineStart = time.GetTimestamp();
        FrameResult result;
        StageTimings stages;
        using (image)
        {
            try
            {
                result = pipeline.Process(image, slot, out stages);
            }
            catch (Exception ex)
            {
                logger.PipelineFailed(ex, session.SessionId, session.PipelineId, index);
                return Error(StreamErrors.PipelineFailure, $"The pipeline '{session.PipelineId}' failed on frame {index}.");
            }
        }

        var end = time.GetTimestamp();
        var timings = new FrameTimings(
            time.GetElapsedTime(decodeStart, pipelineStart).TotalMilliseconds,
            time.GetElapsedTime(pipelineStart, end).TotalMilliseconds,
            time.GetElapsedTime(receivedAt, end).TotalMilliseconds);
        session.RecordProcessed();
        metrics.FrameProcessed(
            session.PipelineId, timings.DecodeMs, stages.PreprocessMs, stages.InferenceMs, stages.PostprocessMs, timings.TotalMs);
        return new OutgoingMessage(OutgoingKind.Result, index, result, timings);
    }

    private static OutgoingMessage Error(string code, string detail) => new(OutgoingKind.Error, Error: new StreamError(code, detail));
}
