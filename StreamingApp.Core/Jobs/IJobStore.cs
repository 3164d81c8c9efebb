namespace StreamingApp.Core.Jobs;

/// <summary>
/// Jobs, their results and the queue workers take them from: SQLite (one machine) or PostgreSQL (several instances),
/// with the same behaviour — both run one contract test suite.
/// <para>
/// Reads take an <c>owner</c>: a job belongs to the user who submitted it, and a read scoped to another owner does
/// not find it. Null means "any owner" (the app runs without authentication). The store publishes every change on
/// its <see cref="IJobChangeFeed"/>. The schema is created by the store's <see cref="IJobSchema"/> at start.
/// </para>
/// </summary>
public interface IJobStore
{
    Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, string? owner, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<JobListPage> ListAsync(string? owner, int limit, int skip, CancellationToken cancellationToken);

    /// <summary>The totals of a completed job; null when it is not completed (or not found).</summary>
    Task<JobSummary?> GetSummaryAsync(string id, string? owner, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> results of a completed job with a frame index above
    /// <paramref name="afterFrameIndex"/>, in frame order; empty when the job is not completed (or not found).
    /// Read a whole job with <see cref="JobStoreExtensions.ReadResultsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<JobFrameResult>> GetResultsPageAsync(string id, string? owner, int afterFrameIndex, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the job and its results; returns the job as it was, or null when not found.</summary>
    Task<JobRecord?> DeleteAsync(string id, string? owner, CancellationToken cancellationToken);

    /// <summary>Completed or failed jobs last changed before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Bytes the jobs hold: their uploads plus their stored results.</summary>
    Task<long> GetStorageBytesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest job that is pending or whose lease expired and marks it running under a new lease, so no two
    /// workers (threads, processes or instances) ever hold the same job. Jobs past their attempts fail on the way.
    /// </summary>
    Task<JobClaim?> TryClaimNextAsync(JobClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Extends the lease by its duration from now; false when the lease is gone.</summary>
    Task<bool> RenewLeaseAsync(JobLease lease, CancellationToken cancellationToken);

    Task<bool> SetFramesTotalAsync(JobLease lease, int framesTotal, CancellationToken cancellationToken);

    /// <summary>Shows progress between checkpoints; commits nothing a takeover could resume from.</summary>
    Task<bool> UpdateProgressAsync(JobLease lease, int framesDone, int progress, CancellationToken cancellationToken);

    /// <summary>Commits the results and totals in one transaction: a takeover resumes after them.</summary>
    Task<bool> CheckpointAsync(JobLease lease, JobCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>Commits the last results and marks the job completed at 100%, in one transaction.</summary>
    Task<bool> CompleteAsync(JobLease lease, JobCheckpoint last, CancellationToken cancellationToken);

    /// <summary>Marks the job failed with <paramref name="error"/>; its partial results are removed.</summary>
    Task<bool> FailAsync(JobLease lease, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the job back to the queue (the instance is stopping) keeping its checkpoints, so any instance resumes it
    /// at once; it does not count as an attempt.
    /// </summary>
    Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken);
}

/// <summary>Creates and migrates a store's schema; safe when several instances start at once.</summary>
public interface IJobSchema
{
    /// <summary>Applies the scripts not applied yet; returns the schema version after.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);
}
