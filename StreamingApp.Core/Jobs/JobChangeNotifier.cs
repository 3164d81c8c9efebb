namespace StreamingApp.Core.Jobs;

/// <summary>
/// Tells in-process listeners (the jobs page, the workers) that a job changed, so they can react at once
/// instead of polling. Raised by <see cref="JobStore"/> after every successful write.
/// </summary>
public sealed class JobChangeNotifier
{
    public event Action<JobRecord>? Changed;

    public void Publish(JobRecord job) => Changed?.Invoke(job);
}
