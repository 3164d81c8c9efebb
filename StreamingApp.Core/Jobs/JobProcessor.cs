using System.Text.Json;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Runs one claimed job to its end: probe, decode (ahead of inference) from where its checkpoints stop, run the
/// pipeline on each selected frame in a Background inference slot, and hand each result to a
/// <see cref="JobResultWriter"/> (progress, checkpoints, completion).
/// </summary>
public sealed class JobProcessor(
    IJobStore store,
    IPipelineCatalog catalog,
    InferenceScheduler scheduler,
    FfmpegVideoDecoder decoder,
    JobDataFolder folder,
    JobMetrics metrics,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    /// <summary>
    /// Frames decoded ahead of inference: enough to hide decode time, little memory (frames come scaled down to the
    /// pipeline's <see cref="IFramePipeline.DecodeFit"/>: 3 × 0.3 MB for yolo, whatever the video's resolution).
    /// </summary>
    private const int ReadAhead = 2;

    /// <summary>
    /// Ends with the job completed or failed (also when it runs past <see cref="JobOptions.MaxRunSeconds"/>), or quietly
    /// when its lease is lost (deleted, or taken over). On cancellation it commits the frames done so far as a
    /// checkpoint and throws <see cref="OperationCanceledException"/>, for the caller to release the lease.
    /// </summary>
    public async Task RunAsync(JobClaim claim, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(options.Value.MaxRunSeconds);
        using var runLimit = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runLimit.Token);
        try
        {
            await RunToEndAsync(claim, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (runLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(claim.Lease, $"The job ran longer than the limit of {limit.TotalSeconds:0} seconds and was stopped.", null).ConfigureAwait(false);
        }
    }

    private async Task RunToEndAsync(JobClaim claim, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var job = claim.Job;
        JobResultWriter? results = null;
        try
        {
            var (pipeline, path) = Prepare(job);
            var info = await decoder.ProbeAsync(path, cancellationToken).ConfigureAwait(false);
            if (JobLimits.CheckVideo(info, options.Value) is { } violation)
            {
                throw new JobFailedException(violation);
            }

            var request = new VideoFrameRequest(
                info, job.FrameStride, JobLimits.EffectiveMaxFrames(job.MaxFrames, options.Value), pipeline.DecodeFit, ReadAhead)
            {
                StartAt = claim.ResumeAt,
            };
            var framesTotal = FramesToProcess(info.FrameCount, job.FrameStride, request.MaxFrames);
            if (!await store.SetFramesTotalAsync(claim.Lease, framesTotal, cancellationToken).ConfigureAwait(false))
            {
                throw new JobLeaseLostException();
            }

            results = new JobResultWriter(store, claim, framesTotal, options.Value, time);
            await ProcessFramesAsync(pipeline, path, request, results, cancellationToken).ConfigureAwait(false);
            var summary = await results.CompleteAsync(cancellationToken).ConfigureAwait(false);
            metrics.JobFinished(JobStatus.Completed);
            var elapsed = time.GetElapsedTime(started);
            var framesHere = summary.Frames - claim.ResumeAt;
            JobsLog.JobCompleted(logger, job.Id, summary.Frames, elapsed.TotalMilliseconds, framesHere / Math.Max(elapsed.TotalSeconds, 1e-3));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CheckpointOnStopAsync(job, results).ConfigureAwait(false);
            throw;
        }
        catch (JobLeaseLostException)
        {
            JobsLog.LeaseLost(logger, job.Id, claim.Lease.Instance);
        }
        catch (VideoDecodeException ex)
        {
            // The message is written for the uploader; what ffmpeg said is its inner exception, for the log.
            await FailAsync(claim.Lease, ex.Message, ex).ConfigureAwait(false);
        }
        catch (JobFailedException ex)
        {
            await FailAsync(claim.Lease, ex.Message, ex.InnerException).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Exception texts name server paths and internals: they go to the log, with the job id, not to the job.
            await FailAsync(claim.Lease, $"Processing stopped after {results?.FramesDone ?? claim.ResumeAt} frames because of a server error.", ex).ConfigureAwait(false);
        }
    }

    /// <summary>How many frames a job will process: every stride-th frame of the video, capped by max_frames.</summary>
    public static int FramesToProcess(int frameCount, int frameStride, int? maxFrames)
    {
        var selected = (frameCount + frameStride - 1) / frameStride;
        return maxFrames is { } max ? Math.Min(selected, max) : selected;
    }

    /// <summary>The job's pipeline and upload.</summary>
    /// <exception cref="JobFailedException">Either is gone.</exception>
    private (IFramePipeline Pipeline, string Path) Prepare(JobRecord job)
    {
        if (!catalog.TryGet(job.PipelineId, out var pipeline))
        {
            throw new JobFailedException($"The pipeline '{job.PipelineId}' is not available.");
        }

        var path = folder.UploadPath(Guid.Parse(job.Id));
        return File.Exists(path) ? (pipeline, path) : throw new JobFailedException("The uploaded video is missing from the data folder.");
    }

    private async Task ProcessFramesAsync(
        IFramePipeline pipeline, string path, VideoFrameRequest request, JobResultWriter results, CancellationToken cancellationToken)
    {
        var frames = decoder.ReadFramesAsync(path, request, cancellationToken);
        await foreach (var frame in frames.ConfigureAwait(false))
        {
            using (frame)
            {
                FrameResult result;
                using (var slot = await scheduler.AcquireAsync(InferencePriority.Background, cancellationToken).ConfigureAwait(false))
                {
                    result = ProcessFrame(pipeline, frame, slot);
                }

                metrics.FrameProcessed();
                var stored = new JobFrameResult(frame.FrameIndex, frame.TimestampMs, JsonSerializer.Serialize(result, PipelineJson.Default.FrameResult));
                await results.AddAsync(new ProcessedFrame(stored, result), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static FrameResult ProcessFrame(IFramePipeline pipeline, DecodedVideoFrame frame, InferenceSlot slot)
    {
        try
        {
            return pipeline.Process(frame.Image, slot, out _);
        }
        catch (Exception ex)
        {
            throw new JobFailedException($"The pipeline failed on frame {frame.FrameIndex}.", ex);
        }
    }

    /// <summary>The host is stopping: keep what is done, so whoever resumes the job starts after it.</summary>
    private async Task CheckpointOnStopAsync(JobRecord job, JobResultWriter? results)
    {
        if (results is null)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(JobWorker.StopWriteTimeout);
            await results.CheckpointAsync(deadline.Token).ConfigureAwait(false);
            JobsLog.CheckpointedOnStop(logger, job.Id, results.FramesDone);
        }
        catch (Exception ex)
        {
            // Lease gone or store unreachable: a takeover recomputes the frames since the last checkpoint.
            JobsLog.CheckpointOnStopFailed(logger, job.Id, ex);
        }
    }

    private async Task FailAsync(JobLease lease, string error, Exception? exception)
    {
        JobsLog.JobFailed(logger, lease.JobId, error, exception);
        // Not cancellable: a failure must be recorded even while the host stops.
        if (await store.FailAsync(lease, error, CancellationToken.None).ConfigureAwait(false))
        {
            metrics.JobFinished(JobStatus.Failed);
        }
    }

    /// <summary>The job cannot go on; the message says why, for the person who submitted it.</summary>
    private sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner);
}
