using Microsoft.Extensions.Logging;

namespace StreamingApp.Core.Jobs;

internal static partial class JobsLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Job {JobId} claimed (pipeline {PipelineId}, attempt {Attempt})")]
    public static partial void JobClaimed(ILogger logger, string jobId, string pipelineId, int attempt);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Job {JobId} completed: {Frames} frames in {ElapsedMs:F0} ms ({FramesPerSecond:F1} frames/s)")]
    public static partial void JobCompleted(ILogger logger, string jobId, int frames, double elapsedMs, double framesPerSecond);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Job {JobId} failed: {Error}")]
    public static partial void JobFailed(ILogger logger, string jobId, string error, Exception? exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Job {JobId} given back to the queue: the host is stopping")]
    public static partial void JobReleased(ILogger logger, string jobId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "{Count} job(s) were interrupted by the previous run and were recovered")]
    public static partial void JobsRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Job worker error; retrying")]
    public static partial void WorkerError(ILogger logger, Exception exception);
}
