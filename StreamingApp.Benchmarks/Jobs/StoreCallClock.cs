using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using StreamingApp.Core.Jobs;

namespace StreamingApp.Benchmarks.Jobs;

/// <summary>
/// A job store whose every call is timed, from the call until its task completes: the time a job spends in its
/// queue's hands (claim, progress, checkpoints, completion on the job's own path; lease renewals beside it, on the
/// lease keeper's timer). Summed per job and divided by the job's wall time it bounds what the queue adds, free of the
/// job-to-job spread of the inference around it, which on this machine is far larger than the 2 % being looked for.
/// </summary>
public class StoreCallClock : DispatchProxy
{
    /// <summary>The one call that runs beside the job rather than on its path.</summary>
    private const string Beside = nameof(IJobStore.RenewLeaseAsync);

    private readonly ConcurrentDictionary<string, StrongBox<long>> _ticks = new(StringComparer.Ordinal);
    private IJobStore _store = null!;

    public static (IJobStore Store, StoreCallClock Clock) Wrap(IJobStore store)
    {
        var proxy = Create<IJobStore, StoreCallClock>();
        var clock = (StoreCallClock)(object)proxy;
        clock._store = store;
        return (proxy, clock);
    }

    /// <summary>The time in calls on the job's path and beside it since the last call, and resets it.</summary>
    public (TimeSpan OnPath, TimeSpan Beside) Take()
    {
        long onPath = 0, beside = 0;
        foreach (var (method, ticks) in _ticks)
        {
            var taken = Interlocked.Exchange(ref ticks.Value, 0);
            if (method == Beside)
            {
                beside += taken;
            }
            else
            {
                onPath += taken;
            }
        }

        return (Stopwatch.GetElapsedTime(0, onPath), Stopwatch.GetElapsedTime(0, beside));
    }

    public static string Describe(string name, IReadOnlyList<(TimeSpan OnPath, TimeSpan Beside, TimeSpan JobWall)> jobs)
    {
        var shares = jobs.Select(j => j.OnPath / j.JobWall).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: store calls on the job's path {jobs.Average(j => j.OnPath.TotalMilliseconds):F1} ms a job (mean), " +
            $"{shares[shares.Count / 2]:P2} of its wall time (median; max {shares[^1]:P2}); " +
            $"lease renewals beside it {jobs.Average(j => j.Beside.TotalMilliseconds):F1} ms a job");
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var start = Stopwatch.GetTimestamp();
        var result = targetMethod!.Invoke(_store, args);
        var ticks = _ticks.GetOrAdd(targetMethod.Name, _ => new StrongBox<long>());
        if (result is Task task)
        {
            task.ContinueWith(_ => Interlocked.Add(ref ticks.Value, Stopwatch.GetTimestamp() - start), TaskContinuationOptions.ExecuteSynchronously);
        }
        else
        {
            Interlocked.Add(ref ticks.Value, Stopwatch.GetTimestamp() - start);
        }

        return result;
    }
}
