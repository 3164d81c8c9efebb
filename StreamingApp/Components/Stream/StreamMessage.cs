using System.Text.Json;

namespace StreamingApp.Components.Stream;

/// <summary>Server-side timings of one frame, as a result message carries them.</summary>
public sealed record ServerTimings(double DecodeMs, double InferenceMs, double TotalMs);

/// <summary>
/// One message of <c>/ws/video/stream</c>, told apart by its keys: the page's one reader of the stream protocol.
/// The browser module passes each text on unread (it looks only at <c>frame_index</c>, to time the answer).
/// </summary>
public abstract record StreamMessage
{
    public const string SlowDown = "slow_down";

    private static readonly StreamMessage UnknownMessage = new Unknown();

    private StreamMessage()
    {
    }

    public static StreamMessage Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return UnknownMessage;
        }
    }

    private static StreamMessage Read(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            return UnknownMessage;
        }

        if (m.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
        {
            return new Error(error.GetString()!, m.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "");
        }

        if (m.TryGetProperty("warning", out var warning) && warning.ValueKind == JsonValueKind.String)
        {
            return new Warning(warning.GetString()!);
        }

        if (!m.TryGetProperty("frame_index", out var frameIndex) || frameIndex.ValueKind != JsonValueKind.Number || !frameIndex.TryGetInt64(out var index))
        {
            return UnknownMessage;
        }

        if (m.TryGetProperty("dropped", out var dropped) && dropped.ValueKind == JsonValueKind.True)
        {
            return new Dropped(index);
        }

        return m.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            ? new Result(index, result.Deserialize(PipelineJson.Default.FrameResult)!, ReadTimings(m))
            : UnknownMessage;
    }

    private static ServerTimings? ReadTimings(JsonElement m) =>
        m.TryGetProperty("timings", out var t) && t.ValueKind == JsonValueKind.Object
            ? new ServerTimings(Number(t, "decode_ms"), Number(t, "inference_ms"), Number(t, "total_ms"))
            : null;

    private static double Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    /// <summary>What the pipeline found in frame <paramref name="FrameIndex"/>.</summary>
    public sealed record Result(long FrameIndex, FrameResult Frame, ServerTimings? Timings) : StreamMessage;

    /// <summary>Frame <paramref name="FrameIndex"/> was not processed (the session was busy).</summary>
    public sealed record Dropped(long FrameIndex) : StreamMessage;

    /// <summary>A warning, e.g. <see cref="SlowDown"/>.</summary>
    public sealed record Warning(string Code) : StreamMessage;

    /// <summary>An error; the server closes the stream after it.</summary>
    public sealed record Error(string Code, string Detail) : StreamMessage;

    /// <summary>Anything else: ignored.</summary>
    public sealed record Unknown : StreamMessage;
}
