using System.Diagnostics.Metrics;
using StreamingApp.Core.Jobs;

namespace StreamingApp.Core.Telemetry;

/// <summary>Upload job instruments (meter <see cref="AppMeter.Name"/>).</summary>
public sealed class JobMetrics
{
    private readonly Counter<long> _frames;
    private readonly Counter<long> _finished;

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AppMeter.Name);
        _frames = meter.CreateCounter<long>("jobs.frames", "{frame}", "Frames processed by upload jobs.");
        _finished = meter.CreateCounter<long>("jobs.finished", "{job}", "Upload jobs that ended, by status (completed, failed).");
    }

    public void FrameProcessed() => _frames.Add(1);

    public void JobFinished(JobStatus status) => _finished.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));
}
