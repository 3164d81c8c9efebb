namespace StreamingApp.Components.Stream;

public enum StreamStatus
{
    Disconnected,
    Connecting,
    Connected,
}

/// <summary>
/// The figures of the current stream (the debug panel shows them). Counts restart with each stream, as the
/// server's frame numbering does.
/// </summary>
public sealed record StreamStats(
    StreamStatus Status,
    string? PipelineId,
    DateTimeOffset? StartedAt,
    long FramesSent,
    long FramesAnswered,
    long DroppedFrames,
    int SlowDownWarnings,
    CapturePace Pace,
    double? LastLatencyMs,
    ServerTimings? LastTimings)
{
    public static StreamStats Idle { get; } = new(StreamStatus.Disconnected, null, null, 0, 0, 0, 0, new CapturePace(CapturePacing.MaxFps, CapturePacing.MaxInFlight), null, null);

    /// <summary>Dropped frames among the answered ones.</summary>
    public double DropRate => FramesAnswered == 0 ? 0 : (double)DroppedFrames / FramesAnswered;

    /// <summary>Frames sent per second since the stream started.</summary>
    public double Fps(DateTimeOffset now)
    {
        var seconds = StartedAt is { } started ? (now - started).TotalSeconds : 0;
        return seconds <= 0 ? 0 : FramesSent / seconds;
    }
}
