namespace StreamingApp.Core.Jobs;

/// <summary>
/// Deletes jobs — for <c>DELETE /v1/jobs/{id}</c>, the job pages' Delete button and retention alike. The row and
/// results go in one transaction, then the upload. A worker running the job, on any instance, hears of the delete
/// on the change feed and stops at once; its writes are refused from the moment the row is gone.
/// </summary>
public sealed class JobDeletion(IJobStore store, JobDataFolder folder, ILogger<JobDeletion> logger)
{
    /// <summary>
    /// Deletes the job if <paramref name="owner"/> (null: any owner) may see it; false when there is no such job —
    /// another owner's job is not found either.
    /// </summary>
    public async Task<bool> DeleteAsync(string jobId, string? owner, CancellationToken cancellationToken) =>
        await DeleteAsync(jobId, owner, "requested", cancellationToken).ConfigureAwait(false) is not null;

    internal async Task<JobRecord?> DeleteAsync(string jobId, string? owner, string reason, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return null;
        }

        var deleted = await store.DeleteAsync(id.ToString("D"), owner, cancellationToken).ConfigureAwait(false);
        if (deleted is null)
        {
            return null;
        }

        // After the row: a crash in between leaves an orphaned upload, which housekeeping removes.
        folder.DeleteUpload(id);
        JobsLog.JobDeleted(logger, deleted.Id, reason, deleted.Status.ToWire());
        return deleted;
    }
}
