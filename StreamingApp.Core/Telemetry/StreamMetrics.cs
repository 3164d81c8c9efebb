using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingApp.Core.Telemetry;

/// <summary>
/// Instruments of the live stream (meter <see cref="AppMeter.Name"/>). Tags: <c>pipeline</c> on per-pipeline series,
/// <c>code</c> on errors, <c>stage</c> (decode, preprocess, inference, postprocess) on stage durations.
/// </summary>
public sealed class StreamMetrics
{
    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _sessionsAboveMaximum;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesProcessed;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _slowDowns;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _refusedConnections;
    private readonly Counter<long> _serverCloses;
    private readonly Histogram<double> _frameDuration;
    private readonly Histogram<double> _stageDuration;

    public StreamMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AppMeter.Name);
        _activeSessions = meter.CreateUpDownCounter<long>("stream.sessions.active", "{session}", "Live stream sessions.");
        _sessions = meter.CreateCounter<long>("stream.sessions", "{session}", "Stream sessions opened since start.");
        _sessionsAboveMaximum = meter.CreateCounter<long>(
            "stream.sessions.above_maximum", "{session}", "Sessions opened while more than STREAM_MAX_SESSIONS were live.");
        _framesReceived = meter.CreateCounter<long>("stream.frames.received", "{frame}", "Frames received.");
        _framesProcessed = meter.CreateCounter<long>("stream.frames.processed", "{frame}", "Frames answered with a result.");
        _framesDropped = meter.CreateCounter<long>("stream.frames.dropped", "{frame}", "Frames dropped because they could not start at once (the session had a frame in work and no core was idle).");
        _slowDowns = meter.CreateCounter<long>("stream.slow_down", "{warning}", "slow_down warnings sent.");
        _errors = meter.CreateCounter<long>("stream.errors", "{error}", "Error answers sent, by code.");
        _activeConnections = meter.CreateUpDownCounter<long>(
            "stream.connections.active", "{connection}", "Stream connections admitted and not yet closed (Stream:MaxConnections applies).");
        _refusedConnections = meter.CreateCounter<long>(
            "stream.connections.refused", "{connection}", "Stream handshakes refused with 503, by reason.");
        _serverCloses = meter.CreateCounter<long>(
            "stream.connections.closed_by_server", "{connection}", "Connections the server ended without an error: idle_timeout, send_timeout, server_shutdown.");
        _frameDuration = meter.CreateHistogram<double>(
            "stream.frame.duration", "s", "From a frame's last byte received to its result queued for sending.");
        _stageDuration = meter.CreateHistogram<double>("stream.stage.duration", "s", "Time of one stage of one frame.");
    }

    public void SessionOpened(string pipeline)
    {
        var tag = PipelineTag(pipeline);
        _activeSessions.Add(1, tag);
        _sessions.Add(1, tag);
    }

    public void SessionClosed(string pipeline) => _activeSessions.Add(-1, PipelineTag(pipeline));

    public void SessionAboveRecommendedMaximum(string pipeline) => _sessionsAboveMaximum.Add(1, PipelineTag(pipeline));

    public void FrameReceived(string pipeline) => _framesReceived.Add(1, PipelineTag(pipeline));

    public void FrameDropped(string pipeline) => _framesDropped.Add(1, PipelineTag(pipeline));

    public void SlowDown(string pipeline) => _slowDowns.Add(1, PipelineTag(pipeline));

    public void ConnectionAdmitted() => _activeConnections.Add(1);

    public void ConnectionReleased() => _activeConnections.Add(-1);

    public void ConnectionRefused(string reason) => _refusedConnections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ServerClosed(string reason) => _serverCloses.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Error(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>One processed frame: its count, its end-to-end time and each stage, all in seconds.</summary>
    public void FrameProcessed(string pipeline, double decodeMs, double preprocessMs, double inferenceMs, double postprocessMs, double totalMs)
    {
        var tag = PipelineTag(pipeline);
        _framesProcessed.Add(1, tag);
        _frameDuration.Record(totalMs / 1000, tag);
        RecordStage(pipeline, "decode", decodeMs);
        RecordStage(pipeline, "preprocess", preprocessMs);
        RecordStage(pipeline, "inference", inferenceMs);
        RecordStage(pipeline, "postprocess", postprocessMs);
    }

    private static KeyValuePair<string, object?> PipelineTag(string pipeline) => new("pipeline", pipeline);

    private void RecordStage(string pipeline, string stage, double ms)
    {
        var tags = new TagList { { "pipeline", pipeline }, { "stage", stage } };
        _stageDuration.Record(ms / 1000, in tags);
    }
}
