namespace StreamingApp.Core.Jobs;

/// <summary>
/// Tells listeners — job pages, workers — that a job changed, wherever the change was made: in this process for
/// SQLite, on any instance for PostgreSQL (LISTEN/NOTIFY). Subscribe, react quickly (the handler runs on the thread
/// that delivers the change: hand real work to your own context, e.g. a Blazor component's <c>InvokeAsync</c>), and
/// dispose the subscription when done. A change carries the job as it is when delivered: across instances, quick
/// successive states of one job may arrive as one (the latest), or a state twice — show the latest, never count.
/// </summary>
public interface IJobChangeFeed
{
    IDisposable Subscribe(Action<JobChange> onChange);
}

public enum JobChangeKind
{
    /// <summary>Created or changed; <see cref="JobChange.Job"/> is the job as it is now.</summary>
    Changed,

    /// <summary>Deleted; <see cref="JobChange.Job"/> is null.</summary>
    Deleted,

    /// <summary>Changes may have been missed (the feed lost its connection for a while): reload what you show.</summary>
    Missed,
}

/// <summary>One change. <see cref="JobId"/> and <see cref="Owner"/> are set for Changed and Deleted.</summary>
public sealed record JobChange(JobChangeKind Kind, string? JobId, string? Owner, JobRecord? Job)
{
    public static JobChange Missed { get; } = new(JobChangeKind.Missed, null, null, null);

    public static JobChange Of(JobRecord job) => new(JobChangeKind.Changed, job.Id, job.Owner, job);

    public static JobChange DeletedOf(JobRecord job) => new(JobChangeKind.Deleted, job.Id, job.Owner, null);

    /// <summary>Whether a viewer scoped to <paramref name="owner"/> (null: any) may see this change.</summary>
    public bool IsVisibleTo(string? owner) => Kind == JobChangeKind.Missed || owner is null || owner == Owner;
}

/// <summary>Delivers changes to this process's subscribers; a subscriber that throws does not stop the others.</summary>
public sealed class JobChangeSubscribers(ILogger<JobChangeSubscribers>? logger = null) : IJobChangeFeed
{
    private readonly Lock _lock = new();
    private Action<JobChange>[] _handlers = [];

    public IDisposable Subscribe(Action<JobChange> onChange)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers, onChange];
        }

        return new Subscription(this, onChange);
    }

    public void Publish(JobChange change)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                // One broken page must not stop the worker (or another page) from hearing about the change.
                if (logger is not null)
                {
                    JobsLog.SubscriberFailed(logger, ex);
                }
            }
        }
    }

    private void Unsubscribe(Action<JobChange> onChange)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_handlers, onChange);
            if (index >= 0)
            {
                _handlers = [.. _handlers[..index], .. _handlers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(JobChangeSubscribers owner, Action<JobChange> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(onChange);
            }
        }
    }
}
