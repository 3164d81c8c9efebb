namespace StreamingApp.Core.Jobs;

/// <summary>
/// A job as stored. <see cref="FramesTotal"/> is known once a worker has probed the video; <see cref="Owner"/> is the
/// user who submitted it (null when the app runs without authentication); <see cref="ProcessedBy"/> is the instance
/// (<c>Jobs:InstanceName</c>) that last claimed it.
/// </summary>
public sealed record JobRecord(
    string Id,
    string PipelineId,
    JobStatus Status,
    int Progress,
    int FrameStride,
    int? MaxFrames,
    string OriginalFileName,
    long FileSize,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Error,
    int? FramesTotal,
    int FramesDone,
    int Attempts,
    string? Owner,
    string? ProcessedBy)
{
    /// <summary>Completed or failed: nothing will change it any more but a delete.</summary>
    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed;
}

/// <summary>What a submit asks for; the store adds status, times and counters.</summary>
public sealed record NewJob(
    string Id,
    string PipelineId,
    int FrameStride,
    int? MaxFrames,
    string OriginalFileName,
    long FileSize,
    string? Owner = null);

/// <summary>One processed frame: its index in the video, its time, and the pipeline's result as PipelineJson.</summary>
public sealed record JobFrameResult(int FrameIndex, long TimestampMs, string ResultJson);

/// <summary>Totals over a job's results (over the results so far while it runs).</summary>
public sealed record JobSummary(int Frames, int Detections, IReadOnlyDictionary<string, int> Labels)
{
    public static JobSummary Empty { get; } = new(0, 0, new Dictionary<string, int>());
}

/// <summary>One page of the job list, newest first, and the number of jobs in the whole list.</summary>
public sealed record JobListPage(IReadOnlyList<JobRecord> Jobs, int Count);
