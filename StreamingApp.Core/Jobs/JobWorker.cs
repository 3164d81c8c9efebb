using Microsoft.Extensions.Hosting;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Takes jobs from the store's queue and runs them, each under a lease kept by a <see cref="JobLeaseKeeper"/>. Wakes
/// at once when the change feed says a job is pending (submitted or given back on any instance), and polls for
/// what no notice announces: leases that expired because their instance died. At stop the running job is
/// checkpointed (by the processor) and given back, so any instance resumes it at once.
/// </summary>
public sealed class JobWorker(
    IJobStore store,
    JobProcessor processor,
    IJobChangeFeed feed,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    /// <summary>How long the writes made while stopping (checkpoint, release) may take: the process must exit soon.</summary>
    internal static readonly TimeSpan StopWriteTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before the first claim.
        await Task.Yield();
        using var subscription = feed.Subscribe(OnJobChanged);
        var loops = new Task[options.Value.WorkerCount];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = RunLoopAsync(stoppingToken);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var request = new JobClaimRequest(settings.InstanceName, settings.Lease, settings.MaxAttempts);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await store.TryClaimNextAsync(request, stoppingToken).ConfigureAwait(false) is { } claim)
                {
                    await RunClaimedAsync(claim, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await _wake.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store error (database down, disk full) must not stop the worker for good.
                JobsLog.WorkerError(logger, ex);
                await _wake.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunClaimedAsync(JobClaim claim, CancellationToken stoppingToken)
    {
        JobsLog.JobClaimed(logger, claim.Job.Id, claim.Lease.Instance, claim.Job.PipelineId, claim.Job.Attempts, claim.ResumeAt);
        await using var lease = new JobLeaseKeeper(store, feed, claim.Lease, time, logger);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        try
        {
            await processor.RunAsync(claim, running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            using var deadline = new CancellationTokenSource(StopWriteTimeout);
            if (await store.ReleaseAsync(claim.Lease, deadline.Token).ConfigureAwait(false))
            {
                JobsLog.JobReleased(logger, claim.Job.Id);
            }

            throw;
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested)
        {
            JobsLog.LeaseLost(logger, claim.Job.Id, claim.Lease.Instance);
        }
    }

    private void OnJobChanged(JobChange change)
    {
        // One wake-up per idle loop is enough; more would only make them claim nothing.
        if (change.Job?.Status == JobStatus.Pending && _wake.CurrentCount < options.Value.WorkerCount)
        {
            _wake.Release();
        }
    }
}
