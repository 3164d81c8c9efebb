using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Runs one claimed job to its end: probe, decode (ahead of inference), run the pipeline on each selected frame in
/// a Background inference slot, report progress, then write every result and the completed status at once.
/// </summary>
public sealed class JobProcessor(
    JobStore store,
    IPipelineCatalog catalog,
    InferenceScheduler scheduler,
    FfmpegVideoDecoder decoder,
    JobDataFolder folder,
    JobMetrics metrics,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    /// <summary>Frames decoded ahead of inference: enough to hide decode time, little memory (3 × 0.9 MB at 640×480).</summary>
    private const int ReadAhead = 2;

    /// <summary>
    /// Ends with the job completed or failed. Cancellation propagates as <see cref="OperationCanceledException"/>
    /// with the job still running, for the caller to give back.
    /// </summary>
    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var framesDone = 0;
        try
        {
            if (!catalog.TryGet(job.PipelineId, out var pipeline))
            {
                await FailAsync(job, $"The pipeline '{job.PipelineId}' is not available.", null).ConfigureAwait(false);
                return;
            }

            var path = folder.UploadPath(Guid.Parse(job.Id));
            if (!File.Exists(path))
            {
                await FailAsync(job, "The uploaded video is missing from the data folder.", null).ConfigureAwait(false);
                return;
            }

            var info = await decoder.ProbeAsync(path, cancellationToken).ConfigureAwait(false);
            var progress = new JobProgress(FramesToProcess(info.FrameCount, job.FrameStride, job.MaxFrames), options.Value.ProgressInterval, time);
            await store.SetFramesTotalAsync(job.Id, progress.FramesTotal, cancellationToken).ConfigureAwait(false);

            var results = new List<JobFrameResult>(progress.FramesTotal);
            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            var detections = 0;
            await foreach (var frame in decoder.ReadFramesAsync(path, info, job.FrameStride, job.MaxFrames, ReadAhead, cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    FrameResult result;
                    using (var slot = await scheduler.AcquireAsync(InferencePriority.Background, cancellationToken).ConfigureAwait(false))
                    {
                        result = ProcessFrame(pipeline, frame, slot);
                    }

                    metrics.FrameProcessed();
                    results.Add(new JobFrameResult(frame.FrameIndex, frame.TimestampMs, JsonSerializer.Serialize(result, PipelineJson.Default.FrameResult)));
                    foreach (var detection in result.Detections)
                    {
                        labels[detection.Label] = labels.GetValueOrDefault(detection.Label) + 1;
                        detections++;
                    }
                }

                framesDone = results.Count;
                if (progress.ShouldWrite(framesDone))
                {
                    await store.UpdateProgressAsync(job.Id, framesDone, progress.Percent(framesDone), cancellationToken).ConfigureAwait(false);
                }
            }

            await store.CompleteAsync(job.Id, results, new JobSummary(results.Count, detections, labels), cancellationToken).ConfigureAwait(false);
            metrics.JobFinished(JobStatus.Completed);
            var elapsed = time.GetElapsedTime(started);
            JobsLog.JobCompleted(logger, job.Id, results.Count, elapsed.TotalMilliseconds, results.Count / Math.Max(elapsed.TotalSeconds, 1e-3));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (VideoDecodeException ex)
        {
            await FailAsync(job, ex.Message, null).ConfigureAwait(false);
        }
        catch (PipelineFrameException ex)
        {
            await FailAsync(job, ex.Message, ex.InnerException).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await FailAsync(job, $"Processing stopped after {framesDone} frames: {ex.Message}", ex).ConfigureAwait(false);
        }
    }

    /// <summary>How many frames a job will process: every stride-th frame of the video, capped by max_frames.</summary>
    public static int FramesToProcess(int frameCount, int frameStride, int? maxFrames)
    {
        var selected = (frameCount + frameStride - 1) / frameStride;
        return maxFrames is { } max ? Math.Min(selected, max) : selected;
    }

    private static FrameResult ProcessFrame(IFramePipeline pipeline, DecodedVideoFrame frame, InferenceSlot slot)
    {
        try
        {
            return pipeline.Process(frame.Image, slot, out _);
        }
        catch (Exception ex)
        {
            throw new PipelineFrameException($"The pipeline failed on frame {frame.FrameIndex}: {ex.Message}", ex);
        }
    }

    private async Task FailAsync(JobRecord job, string error, Exception? exception)
    {
        JobsLog.JobFailed(logger, job.Id, error, exception);
        metrics.JobFinished(JobStatus.Failed);
        // Not cancellable: a failure must be recorded even while the host stops.
        await store.FailAsync(job.Id, error, CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class PipelineFrameException(string message, Exception inner) : Exception(message, inner);
}
