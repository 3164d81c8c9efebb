namespace StreamingApp.Core.Telemetry;

/// <summary>
/// The one meter of this app's own instruments. Instrument names carry the feature (<c>stream.frames.received</c>,
/// <c>jobs.frames</c>), so the Prometheus export (meter and instrument name joined) reads
/// <c>streamingapp_stream_frames_received</c>.
/// </summary>
public static class AppMeter
{
    public const string Name = "StreamingApp";
}
