using StreamingApp.Core.Pipelines;

namespace StreamingApp.Realtime;

public enum RealtimeStatus
{
    Disconnected,
    Connecting,
    Connected,
}

/// <summary>An error the stream reported (DESIGN §4 codes), or <c>connection_lost</c> for a close without one.</summary>
public sealed record RealtimeError(string Code, string Detail);

/// <summary>Server-side timings of one frame, as sent in a result message.</summary>
public sealed record ServerTimings(double DecodeMs, double InferenceMs, double TotalMs);

/// <summary>
/// The live state of one page's stream, cascaded to the components. Owned and mutated only by
/// <see cref="RealtimeClient"/>; components read it.
/// </summary>
public sealed class RealtimeContext
{
    public RealtimeStatus Status { get; internal set; }

    /// <summary>The pipeline the person chose; Retry and Start connect with it.</summary>
    public string? PipelineId { get; internal set; }

    public FrameResult? LastResult { get; internal set; }

    /// <summary>frame_index of <see cref="LastResult"/>.</summary>
    public long? LastResultFrameIndex { get; internal set; }

    public long FramesSent { get; internal set; }

    /// <summary>Frames the server answered (results plus dropped): the base of the drop rate.</summary>
    public long FramesAnswered { get; internal set; }

    public long DroppedFrames { get; internal set; }

    public int SlowDownWarnings { get; internal set; }

    public RealtimeError? LastError { get; internal set; }

    /// <summary>Why the camera could not start: permission_denied, no_camera, camera_in_use or unknown.</summary>
    public string? CameraError { get; internal set; }

    public DateTimeOffset? StartedAt { get; internal set; }

    /// <summary>Capture-to-answer time of the last answered frame, measured in the browser.</summary>
    public double? LastLatencyMs { get; internal set; }

    public ServerTimings? LastTimings { get; internal set; }

    /// <summary>The browser's current capture rate limit (15, down to 5 after slow_down).</summary>
    public int ThrottleFps { get; internal set; }

    /// <summary>Width / height of the captured frames, so overlay text is drawn unstretched.</summary>
    public double FrameAspect { get; internal set; } = 4.0 / 3.0;

    public bool DebugVisible { get; internal set; }

    /// <summary>Raised (on the renderer's dispatcher) after the client changed the state, so live regions re-render.</summary>
    internal event Action? Changed;

    internal void NotifyChanged() => Changed?.Invoke();

    public double DropRate => FramesAnswered == 0 ? 0 : (double)DroppedFrames / FramesAnswered;

    /// <summary>Approximate send rate: frames sent divided by the time since the stream started.</summary>
    public double ApproxFps(DateTimeOffset now)
    {
        if (StartedAt is not { } started)
        {
            return 0;
        }

        var seconds = (now - started).TotalSeconds;
        return seconds <= 0 ? 0 : FramesSent / seconds;
    }
}
