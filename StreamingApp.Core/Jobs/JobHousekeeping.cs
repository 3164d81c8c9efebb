using Microsoft.Extensions.Hosting;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Keeps the data folder and the store tidy, at start and then every hour, on every instance (each step is safe to
/// run concurrently): deletes jobs finished more than <c>Jobs:RetentionDays</c> ago, uploads with no job (the process
/// died between moving an upload into place and recording its job) and uploads that were never completed.
/// </summary>
public sealed class JobHousekeeping(
    IJobStore store,
    JobDeletion deletion,
    JobDataFolder folder,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobHousekeeping> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>
    /// Files younger than this are left alone: an upload being received, or moved into place a moment before its
    /// job is recorded (maybe by another instance), is not debris.
    /// </summary>
    public static readonly TimeSpan FileGrace = TimeSpan.FromHours(1);

    private const int DeleteBatch = 100;

    public sealed record Outcome(int ExpiredJobs, int OrphanedUploads, int StaleTempFiles);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                JobsLog.HousekeepingFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task<Outcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcome = new Outcome(
            await DeleteExpiredJobsAsync(now, cancellationToken).ConfigureAwait(false),
            await DeleteOrphanedUploadsAsync(now - FileGrace, cancellationToken).ConfigureAwait(false),
            folder.DeleteStaleTempFiles(now - FileGrace));
        if (outcome != new Outcome(0, 0, 0))
        {
            JobsLog.HousekeepingDone(logger, outcome.ExpiredJobs, options.Value.RetentionDays, outcome.OrphanedUploads, outcome.StaleTempFiles);
        }

        return outcome;
    }

    private async Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        if (days == 0)
        {
            return 0;
        }

        var deleted = 0;
        IReadOnlyList<JobRecord> expired;
        do
        {
            expired = await store.ListFinishedBeforeAsync(now - TimeSpan.FromDays(days), DeleteBatch, cancellationToken).ConfigureAwait(false);
            foreach (var job in expired)
            {
                if (await deletion.DeleteAsync(job.Id, owner: null, "retention", cancellationToken).ConfigureAwait(false) is not null)
                {
                    deleted++;
                }
            }
        }
        while (expired.Count == DeleteBatch);

        return deleted;
    }

    private async Task<int> DeleteOrphanedUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var id in folder.UploadsOlderThan(before).ToList())
        {
            if (await store.GetAsync(id.ToString("D"), owner: null, cancellationToken).ConfigureAwait(false) is null && folder.DeleteUpload(id))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
