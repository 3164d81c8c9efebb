using System.Text.Json.Serialization;

namespace StreamingApp.Realtime;

/// <summary>Server → page: open (with the pipeline) or close the stream socket.</summary>
public sealed record StreamCommand(string Command, string? PipelineId);

/// <summary>
/// Server → page: the live regions' new HTML by data-region name, plus state the script needs (the frame the
/// overlay now shows, for the capture-to-overlay latency).
/// </summary>
public sealed record RenderMessage(IReadOnlyDictionary<string, string> Render, bool DebugVisible, string Status, long? FrameIndex);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamCommand))]
[JsonSerializable(typeof(RenderMessage))]
internal sealed partial class RealtimeJson : JsonSerializerContext;
