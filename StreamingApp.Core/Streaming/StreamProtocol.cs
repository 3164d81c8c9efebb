using System.Text.Json;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Core.Streaming;

/// <summary>Writes the server → client JSON messages of <c>/ws/video/stream</c> (docs/ENDPOINTS.md).</summary>
internal static class StreamProtocol
{
    private static readonly JsonEncodedText FrameIndex = JsonEncodedText.Encode("frame_index");
    private static readonly JsonEncodedText Result = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText Timings = JsonEncodedText.Encode("timings");
    private static readonly JsonEncodedText DecodeMs = JsonEncodedText.Encode("decode_ms");
    private static readonly JsonEncodedText InferenceMs = JsonEncodedText.Encode("inference_ms");
    private static readonly JsonEncodedText TotalMs = JsonEncodedText.Encode("total_ms");
    private static readonly JsonEncodedText Dropped = JsonEncodedText.Encode("dropped");
    private static readonly JsonEncodedText Warning = JsonEncodedText.Encode("warning");
    private static readonly JsonEncodedText SlowDown = JsonEncodedText.Encode("slow_down");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");

    public static void Write(Utf8JsonWriter json, in OutgoingMessage message)
    {
        json.WriteStartObject();
        switch (message.Kind)
        {
            case OutgoingKind.Result:
                json.WriteNumber(FrameIndex, message.FrameIndex);
                json.WritePropertyName(Result);
                JsonSerializer.Serialize(json, message.Result!, PipelineJson.Default.FrameResult);
                json.WriteStartObject(Timings);
                json.WriteNumber(DecodeMs, Math.Round(message.Timings.DecodeMs, 3));
                json.WriteNumber(InferenceMs, Math.Round(message.Timings.InferenceMs, 3));
                json.WriteNumber(TotalMs, Math.Round(message.Timings.TotalMs, 3));
                json.WriteEndObject();
                break;
            case OutgoingKind.Dropped:
                json.WriteNumber(FrameIndex, message.FrameIndex);
                json.WriteBoolean(Dropped, true);
                break;
            case OutgoingKind.SlowDown:
                json.WriteString(Warning, SlowDown);
                break;
            case OutgoingKind.Error:
                json.WriteString(Error, message.Error!.Code);
                json.WriteString(Detail, message.Error.Detail);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.Kind, "Not a wire message.");
        }

        json.WriteEndObject();
    }
}
