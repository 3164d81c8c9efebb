using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Takes pending jobs from the store — the one queue both the API and the worker use — and runs them.
/// Wakes at once when a job is submitted in this process, and polls for jobs from elsewhere.
/// At start it recovers jobs a crash left running; at stop it gives the current job back to the queue.
/// </summary>
public sealed class JobWorker(
    JobStore store,
    JobProcessor processor,
    JobChangeNotifier notifier,
    JobDataFolder folder,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before touching the disk.
        await Task.Yield();
        folder.DeleteStaleTempFiles(time.GetUtcNow() - TimeSpan.FromHours(1));
        var recovered = await store.RecoverInterruptedAsync(options.Value.MaxAttempts, stoppingToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            JobsLog.JobsRecovered(logger, recovered);
        }

        notifier.Changed += OnJobChanged;
        try
        {
            var loops = new Task[options.Value.WorkerCount];
            for (var i = 0; i < loops.Length; i++)
            {
                loops[i] = RunLoopAsync(stoppingToken);
            }

            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            notifier.Changed -= OnJobChanged;
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobRecord? job = null;
            try
            {
                job = await store.TryClaimNextAsync(stoppingToken).ConfigureAwait(false);
                if (job is null)
                {
                    await _wake.WaitAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                JobsLog.JobClaimed(logger, job.Id, job.PipelineId, job.Attempts);
                await processor.RunAsync(job, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                if (job is not null)
                {
                    await store.ReleaseAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
                    JobsLog.JobReleased(logger, job.Id);
                }

                return;
            }
            catch (Exception ex)
            {
                // A store error (disk full, locked file) must not stop the worker for good.
                JobsLog.WorkerError(logger, ex);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnJobChanged(JobRecord job)
    {
        if (job.Status == JobStatus.Pending)
        {
            _wake.Release();
        }
    }
}
