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

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Required]
    public string FfprobePath { get; set; } = "ffprobe";
}
