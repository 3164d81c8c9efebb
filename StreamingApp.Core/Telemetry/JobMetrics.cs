using System.Diagnostics.Metrics;
using StreamingApp.Core.Jobs;

namespace StreamingApp.Core.Telemetry;

/// <summary>Upload job instruments (meter <c>StreamingApp.Jobs</c>).</summary>
public sealed class JobMetrics
{
    public const string MeterName = "StreamingApp.Jobs";

    private readonly Counter<long> _frames;
    private readonly Counter<long> _finished;

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _frames = meter.CreateCounter<long>("streamingapp.jobs.frames", "{frame}", "Frames processed by upload jobs.");
        _finished = meter.CreateCounter<long>("streamingapp.jobs.finished", "{job}", "Upload jobs that ended, by status (completed, failed).");
    }

    public void FrameProcessed() => _frames.Add(1);

    public void JobFinished(JobStatus status) => _finished.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));
}
