using System.Diagnostics.Metrics;

namespace StreamingApp.Core.Telemetry;

/// <summary>
/// The <see cref="InferenceScheduler"/>'s load (meter <see cref="AppMeter.Name"/>), read when scraped. A load test
/// reads <c>inference.threads.busy_time</c> before and after a run: its increase over the run's seconds is the mean
/// number of busy inference threads; <c>inference.threads.peak</c> shows they never exceeded <c>inference.threads.limit</c>.
/// </summary>
public sealed class InferenceMetrics
{
    public InferenceMetrics(IMeterFactory meterFactory, InferenceScheduler scheduler)
    {
        var meter = meterFactory.Create(AppMeter.Name);
        meter.CreateObservableGauge("inference.threads.limit", () => scheduler.Cores, "{thread}", "Cores of the inference scheduler: the bound on busy threads and frames in work.");
        meter.CreateObservableGauge("inference.threads.busy", () => scheduler.Load.BusyThreads, "{thread}", "Threads busy in inference now: cores held by frames plus cores lent to model runs.");
        meter.CreateObservableGauge("inference.threads.peak", () => scheduler.Load.PeakBusyThreads, "{thread}", "Most threads ever busy in inference at once.");
        meter.CreateObservableCounter("inference.threads.busy_time", () => scheduler.Load.BusyThreadSeconds, "s", "Busy inference threads integrated over time (thread-seconds).");
        meter.CreateObservableGauge("inference.frames.in_work", () => scheduler.Load.FramesInWork, "{frame}", "Frames admitted to inference and not yet done.");
        meter.CreateObservableGauge("inference.frames.waiting", () => scheduler.Load.FramesWaiting, "{frame}", "Frames queued for their turn.");
        meter.CreateObservableCounter("inference.runs", () => RunsByThreads(scheduler), "{run}", "Model runs (or parallel groups of runs) by the threads they used.");
    }

    private static IEnumerable<Measurement<long>> RunsByThreads(InferenceScheduler scheduler)
    {
        for (var threads = 1; threads <= scheduler.Cores; threads++)
        {
            yield return new Measurement<long>(scheduler.RunsWithThreads(threads), new KeyValuePair<string, object?>("threads", threads));
        }
    }
}
