using System.Text.Json;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Realtime;

/// <summary>
/// One page's side of the stream (scoped: one per UI connection). The JS module owns the camera and the
/// socket to /ws/video/stream; this class decides when to connect and turns the small JSON answers it
/// forwards into <see cref="RealtimeContext"/> state.
/// </summary>
public sealed class RealtimeClient(IRealtimeBridge bridge, TimeProvider time)
{
    public RealtimeContext Context { get; } = new();

    public async Task ConnectAsync(string pipelineId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipelineId);
        var c = Context;
        c.PipelineId = pipelineId;
        c.Status = RealtimeStatus.Connecting;
        c.LastError = null;
        c.CameraError = null;
        c.LastResult = null;
        c.LastResultFrameIndex = null;
        c.FramesSent = 0;
        c.FramesAnswered = 0;
        c.DroppedFrames = 0;
        c.SlowDownWarnings = 0;
        c.LastLatencyMs = null;
        c.LastTimings = null;
        c.StartedAt = time.GetUtcNow();
        await bridge.ConnectStreamAsync(pipelineId, cancellationToken);
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Context.Status = RealtimeStatus.Disconnected;
        await bridge.DisconnectStreamAsync(cancellationToken);
    }

    /// <summary>A change of pipeline reconnects a live stream; a stopped one just remembers the choice.</summary>
    public async Task SelectPipelineAsync(string pipelineId, CancellationToken cancellationToken)
    {
        if (Context.Status == RealtimeStatus.Disconnected)
        {
            Context.PipelineId = pipelineId;
            return;
        }

        await DisconnectAsync(cancellationToken);
        await ConnectAsync(pipelineId, cancellationToken);
    }

    /// <summary>Clears the error and reconnects with the current pipeline (the person's one-click recovery).</summary>
    public Task RetryAsync(CancellationToken cancellationToken)
    {
        Context.LastError = null;
        return Context.PipelineId is { } id ? ConnectAsync(id, cancellationToken) : Task.CompletedTask;
    }

    public void ToggleDebug() => Context.DebugVisible = !Context.DebugVisible;

    public void OnCameraStarted(double frameAspect)
    {
        Context.CameraError = null;
        if (frameAspect > 0)
        {
            Context.FrameAspect = frameAspect;
        }
    }

    public void OnCameraError(string kind) => Context.CameraError = kind;

    public void OnStreamOpened() => Context.Status = RealtimeStatus.Connected;

    /// <summary>The stream socket closed without the person asking (a server error or a lost connection).</summary>
    public void OnStreamClosed(int closeCode)
    {
        Context.Status = RealtimeStatus.Disconnected;
        if (Context.LastError is null && closeCode != 1000)
        {
            Context.LastError = new RealtimeError("connection_lost", $"The stream closed with code {closeCode}.");
        }
    }

    /// <summary>
    /// One server message (DESIGN §4), told apart by its keys, with what the browser measured for it:
    /// <paramref name="latencyMs"/> from sending frame N to its answer, the frames sent so far and the throttle.
    /// </summary>
    public void OnStreamMessage(JsonElement message, double? latencyMs, long framesSent, int throttleFps)
    {
        var c = Context;
        c.FramesSent = framesSent;
        c.ThrottleFps = throttleFps;
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (message.TryGetProperty("error", out var error))
        {
            var detail = message.TryGetProperty("detail", out var d) ? d.GetString() : null;
            c.LastError = new RealtimeError(error.GetString() ?? "internal_error", detail ?? "");
            return;
        }

        if (message.TryGetProperty("warning", out var warning))
        {
            if (warning.ValueEquals("slow_down"))
            {
                c.SlowDownWarnings++;
            }

            return;
        }

        if (!message.TryGetProperty("frame_index", out var frameIndex))
        {
            return;
        }

        c.FramesAnswered++;
        if (latencyMs is { } latency)
        {
            c.LastLatencyMs = latency;
        }

        if (message.TryGetProperty("dropped", out var dropped) && dropped.ValueKind == JsonValueKind.True)
        {
            // A dropped frame never touches the overlay: it keeps showing the last real result.
            c.DroppedFrames++;
            return;
        }

        if (message.TryGetProperty("result", out var result))
        {
            c.LastResult = result.Deserialize(PipelineJson.Default.FrameResult);
            c.LastResultFrameIndex = frameIndex.GetInt64();
        }

        if (message.TryGetProperty("timings", out var timings))
        {
            c.LastTimings = new ServerTimings(
                Number(timings, "decode_ms"), Number(timings, "inference_ms"), Number(timings, "total_ms"));
        }
    }

    private static double Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
}
