using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// The work on one admitted frame of a session, on the calling thread, once its slot holds a core: decode (no larger
/// than the pipeline needs), run the pipeline in the slot, record timings and metrics. Answers with the result, or
/// with the error that ends the session.
/// </summary>
internal sealed class FrameProcessor(StreamConnectionHandler owner, IFramePipeline pipeline, StreamSession session)
{
    public OutgoingMessage Process(FrameBuffer frame, long index, long receivedAt, InferenceSlot slot)
    {
        var decodeStart = owner.Time.GetTimestamp();
        BgrImage image;
        try
        {
            // Decoded no larger than the pipeline needs (DCT scaling): results are normalized to the frame anyway.
            image = owner.Decoder.Decode(frame.Span, pipeline.DecodeFit);
        }
        catch (ImageDecodeException ex)
        {
            owner.Logger.FrameRefused(session.SessionId, index, StreamErrors.InvalidFrame, ex.Message);
            return Error(StreamErrors.InvalidFrame, ex.Message);
        }
        finally
        {
            frame.Dispose();
        }

        var pipelineStart = owner.Time.GetTimestamp();
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
                owner.Logger.PipelineFailed(ex, session.SessionId, session.PipelineId, index);
                return Error(StreamErrors.PipelineFailure, $"The pipeline '{session.PipelineId}' failed on frame {index}.");
            }
        }

        var end = owner.Time.GetTimestamp();
        var timings = new FrameTimings(
            owner.Time.GetElapsedTime(decodeStart, pipelineStart).TotalMilliseconds,
            owner.Time.GetElapsedTime(pipelineStart, end).TotalMilliseconds,
            owner.Time.GetElapsedTime(receivedAt, end).TotalMilliseconds);
        session.RecordProcessed();
        owner.Metrics.FrameProcessed(
            session.PipelineId, timings.DecodeMs, stages.PreprocessMs, stages.InferenceMs, stages.PostprocessMs, timings.TotalMs);
        return new OutgoingMessage(OutgoingKind.Result, index, result, timings);
    }

    private static OutgoingMessage Error(string code, string detail) => new(OutgoingKind.Error, Error: new StreamError(code, detail));
}
