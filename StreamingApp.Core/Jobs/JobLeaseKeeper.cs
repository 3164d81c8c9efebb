namespace StreamingApp.Core.Jobs;

/// <summary>
/// Keeps a claimed job's lease while this instance works on it: renews it every third of its duration, and signals
/// <see cref="Lost"/> as soon as the job is no longer this instance's — a renewal refused (taken over, released), the
/// job deleted (heard on the change feed, from any instance), or renewals failing until the lease would have expired
/// (the store is unreachable: another instance may take the job over, so this one must stop).
/// </summary>
internal sealed class JobLeaseKeeper : IAsyncDisposable
{
    private readonly IJobStore _store;
    private readonly JobLease _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _subscription;
    private readonly Task _renewals;

    public JobLeaseKeeper(IJobStore store, IJobChangeFeed feed, JobLease lease, TimeProvider time, ILogger logger)
    {
        _store = store;
        _lease = lease;
        _time = time;
        _logger = logger;
        _subscription = feed.Subscribe(OnJobChanged);
        _renewals = RenewAsync();
    }

    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewals.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(_lease.Duration / 3, _time);
        var renewed = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!await _store.RenewLeaseAsync(_lease, _stop.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    renewed = _time.GetTimestamp();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    JobsLog.LeaseRenewFailed(_logger, _lease.JobId, ex);
                    if (_time.GetElapsedTime(renewed) >= _lease.Duration)
                    {
                        break;
                    }
                }
            }

            SignalLost();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The job ended; nothing more to keep.
        }
    }

    private void OnJobChanged(JobChange change)
    {
        if (change.Kind == JobChangeKind.Deleted && change.JobId == _lease.JobId)
        {
            SignalLost();
        }
    }

    /// <summary>Cancels off the caller's thread: the feed's delivery thread must not run the job's cancellation callbacks.</summary>
    private void SignalLost() => ThreadPool.QueueUserWorkItem(static state =>
    {
        try
        {
            state.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The job already ended.
        }
    }, _lost, preferLocal: false);
}
