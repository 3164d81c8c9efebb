namespace StreamingApp.Core.Jobs;

/// <summary>
/// What a worker asks the queue for: the oldest job that is pending, or running under a lease that has expired (its
/// instance died). A job already claimed <see cref="MaxAttempts"/> times without finishing fails instead.
/// </summary>
public sealed record JobClaimRequest(string Instance, TimeSpan LeaseDuration, int MaxAttempts);

/// <summary>
/// The right to work on one job. Every write a worker makes (progress, checkpoint, completion, failure, release)
/// names its lease and is refused once the lease is gone — expired and taken over, released, or the job deleted — so
/// an instance that lost its job can never overwrite the work of the one that took it over.
/// </summary>
public sealed record JobLease(string JobId, string Token, string Instance, TimeSpan Duration);

/// <summary>
/// A claimed job and where its earlier runs stopped: the first <see cref="ResumeAt"/> selected frames already have
/// their results committed, with <see cref="Committed"/> as their totals. Zero and empty for a fresh job.
/// </summary>
public sealed record JobClaim(JobRecord Job, JobLease Lease, int ResumeAt, JobSummary Committed);

/// <summary>
/// Results committed at once: the frames done since the last checkpoint, the count of frames done in all
/// (<see cref="FramesDone"/>, where a takeover resumes) and the totals over all of them.
/// </summary>
public sealed record JobCheckpoint(IReadOnlyList<JobFrameResult> Results, int FramesDone, int Progress, JobSummary Summary);
