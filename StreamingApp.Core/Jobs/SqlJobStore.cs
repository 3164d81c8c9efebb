namespace StreamingApp.Core.Jobs;

/// <summary>
/// What the SQL job stores write the same way: the lease-fenced updates of a running job, in SQL both dialects read
/// alike (<c>@name</c> parameters). Each store runs them on its database through <see cref="UpdateLeasedAsync"/> and
/// <see cref="CommitAsync"/>; what differs between the dialects stays in the stores.
/// </summary>
public abstract class SqlJobStore
{
    protected const string Columns = JobRows.Columns;

    /// <summary>Only the lease holder writes a running job.</summary>
    protected const string Leased = "id = @id AND lease_token = @token AND status = 'running'";

    /// <summary>A scoped read: the owner's jobs, or every job when the owner is null.</summary>
    protected const string Owned = "(@owner IS NULL OR owner = @owner)";

    public Task<bool> SetFramesTotalAsync(JobLease lease, int framesTotal, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(lease, "frames_total = @total", [("total", framesTotal)], cancellationToken);

    public Task<bool> UpdateProgressAsync(JobLease lease, int framesDone, int progress, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(lease, "frames_done = @done, progress = @progress", [("done", framesDone), ("progress", JobProgress.WhileRunning(progress))], cancellationToken);

    public Task<bool> CheckpointAsync(JobLease lease, JobCheckpoint checkpoint, CancellationToken cancellationToken) =>
        CommitAsync(lease, checkpoint, "progress = @progress", cancellationToken);

    public Task<bool> CompleteAsync(JobLease lease, JobCheckpoint last, CancellationToken cancellationToken) =>
        CommitAsync(lease, last, "status = 'completed', progress = 100, error = NULL, lease_token = NULL, lease_expires_at = NULL", cancellationToken);

    /// <summary>
    /// <c>SET <paramref name="set"/>, updated_at = @now WHERE <see cref="Leased"/></c>, with the lease's <c>@id</c> and
    /// <c>@token</c>, <c>@now</c> and <paramref name="values"/>; true when the lease still held.
    /// </summary>
    protected abstract Task<bool> UpdateLeasedAsync(JobLease lease, string set, (string Name, int Value)[] values, CancellationToken cancellationToken);

    /// <summary>
    /// A checkpoint or the completion, in one transaction: the job row (<c>SET <paramref name="set"/></c> and the
    /// checkpoint's frames, summary and result bytes, if the lease still holds; <c>@progress</c> is the checkpoint's)
    /// and the checkpoint's results.
    /// </summary>
    protected abstract Task<bool> CommitAsync(JobLease lease, JobCheckpoint checkpoint, string set, CancellationToken cancellationToken);
}
