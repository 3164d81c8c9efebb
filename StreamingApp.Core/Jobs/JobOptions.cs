using System.ComponentModel.DataAnnotations;

namespace StreamingApp.Core.Jobs;

/// <summary>Upload jobs: where they live, how large an upload may be, how many run at once. Section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Folder for the database and the uploads; a relative path is resolved against the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest accepted upload in bytes (default 500 MB); larger uploads get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>Jobs processed at once. One is enough: a job already uses every free inference slot it gets.</summary>
    [Range(1, 16)]
    public int WorkerCount { get; set; } = 1;

    /// <summary>How often a worker looks for jobs submitted by another process (jobs submitted here wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress is written at least this often (and at every whole percent).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A job interrupted this many times (process died while running it) fails instead of running again.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [Range(1, 10_000)]
    public int MaxFrameStride { get; set; } = 1000;

    /// <summary>Largest width × height of an accepted video (default 3840 × 2160); larger → 400 <c>invalid_video</c>.</summary>
    [Range(1, 1_000_000_000)]
    public long MaxVideoPixels { get; set; } = 3840L * 2160;

    /// <summary>Longest accepted video in seconds (default one hour); longer → 400 <c>invalid_video</c>.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int MaxDurationSeconds { get; set; } = 3600;

    /// <summary>
    /// Most frames one job processes: a larger <c>max_frames</c>, or a video with more selected frames and no
    /// <c>max_frames</c>, → 400 <c>invalid_parameter</c>.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxFrames { get; set; } = 100_000;

    /// <summary>Wall-clock limit of one run of a job in seconds (default one hour); past it the job fails.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int MaxRunSeconds { get; set; } = 3600;

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Required]
    public string FfprobePath { get; set; } = "ffprobe";
}
