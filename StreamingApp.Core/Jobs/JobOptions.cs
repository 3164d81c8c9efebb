using System.ComponentModel.DataAnnotations;

namespace StreamingApp.Core.Jobs;

/// <summary>Where jobs are stored.</summary>
public enum JobStoreKind
{
    /// <summary>An embedded SQLite file in the data folder: one machine, nothing else to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>ConnectionStrings:Jobs</c>) shared by any number of instances.</summary>
    Postgres,
}

/// <summary>Upload jobs: where they live, how large an upload may be, how the queue runs them. Section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public JobStoreKind Store { get; set; } = JobStoreKind.Sqlite;

    /// <summary>
    /// Folder for the uploads (and the SQLite database); a relative path is resolved against the content root. With
    /// several instances it is a volume they all mount.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>This instance's name in <c>processed_by</c> and the logs; default host name and process id.</summary>
    [Required]
    [StringLength(128)]
    public string InstanceName { get; set; } = Environment.MachineName + ":" + Environment.ProcessId;

    /// <summary>Largest accepted upload in bytes (default 500 MB); larger uploads get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>Uploads and results together may not exceed this (default 10 GB); a submit beyond it gets 507.</summary>
    [Range(1, long.MaxValue)]
    public long MaxStorageBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Completed and failed jobs are deleted this many days after they finished; 0 keeps them.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>Jobs processed at once. One is enough: a job already uses every free inference slot it gets.</summary>
    [Range(1, 16)]
    public int WorkerCount { get; set; } = 1;

    /// <summary>
    /// A claimed job is held for this long and renewed every third of it while its instance lives; once it expires
    /// (the instance died) any instance takes the job over.
    /// </summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Results are committed every this many frames; a takeover resumes after the last commit.</summary>
    [Range(1, 100_000)]
    public int CheckpointFrames { get; set; } = 100;

    /// <summary>How often an idle worker looks for jobs whose change it did not hear about (expired leases, missed notices).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress is written at least this often (and at every whole percent).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>…and at most this often: a fast job's pages get four updates a second, not one per frame.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ProgressMinInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A job claimed this many times without finishing (its instance kept dying) fails instead of running again.</summary>
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

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
