namespace StreamingApp.Core.Jobs;

/// <summary>A job as stored. <see cref="FramesTotal"/> is known once the worker has probed the video.</summary>
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
    int Attempts);

/// <summary>What a submit asks for; the store adds status, times and counters.</summary>
public sealed record NewJob(
    string Id,
    string PipelineId,
    int FrameStride,
    int? MaxFrames,
    string OriginalFileName,
    long FileSize);

/// <summary>One processed frame: its index in the video, its time, and the pipeline's result as PipelineJson.</summary>
public sealed record JobFrameResult(int FrameIndex, long TimestampMs, string ResultJson);

/// <summary>Totals over a completed job's results.</summary>
public sealed record JobSummary(int Frames, int Detections, IReadOnlyDictionary<string, int> Labels);
