namespace StreamingApp.Core.Jobs;

internal static partial class JobsLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Job {JobId} claimed by {Instance} (pipeline {PipelineId}, attempt {Attempt}, resuming after {ResumeAt} frames)")]
    public static partial void JobClaimed(ILogger logger, string jobId, string instance, string pipelineId, int attempt, int resumeAt);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Job {JobId} completed: {Frames} frames in {ElapsedMs:F0} ms ({FramesPerSecond:F1} frames/s)")]
    public static partial void JobCompleted(ILogger logger, string jobId, int frames, double elapsedMs, double framesPerSecond);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Job {JobId} failed: {Error}")]
    public static partial void JobFailed(ILogger logger, string jobId, string error, Exception? exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Job {JobId} given back to the queue: the host is stopping")]
    public static partial void JobReleased(ILogger logger, string jobId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Job worker error; retrying")]
    public static partial void WorkerError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Job {JobId} is no longer held by {Instance} (deleted, or taken over after its lease expired); stopped working on it")]
    public static partial void LeaseLost(ILogger logger, string jobId, string instance);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Job {JobId} checkpointed at {FramesDone} frames: the host is stopping")]
    public static partial void CheckpointedOnStop(ILogger logger, string jobId, int framesDone);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Job {JobId} could not be checkpointed while stopping; a takeover recomputes the frames since the last checkpoint")]
    public static partial void CheckpointOnStopFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Job {JobId}: the lease could not be renewed; retrying until it would expire")]
    public static partial void LeaseRenewFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Job {JobId} deleted ({Reason}); it was {Status}")]
    public static partial void JobDeleted(ILogger logger, string jobId, string reason, string status);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Information, Message = "Housekeeping removed {Jobs} job(s) finished over {RetentionDays} days ago, {Orphans} orphaned upload(s) and {TempFiles} stale temporary upload(s)")]
    public static partial void HousekeepingDone(ILogger logger, int jobs, int retentionDays, int orphans, int tempFiles);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Error, Message = "Job housekeeping failed; retrying at the next round")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Information, Message = "Job store {Store} ready: schema version {Version}, instance {Instance}")]
    public static partial void StoreReady(ILogger logger, JobStoreKind store, int version, string instance);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Warning, Message = "Job change feed lost its connection; reconnecting")]
    public static partial void FeedDisconnected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Job change feed listening")]
    public static partial void FeedListening(ILogger logger);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Error, Message = "A job change subscriber failed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);
}
