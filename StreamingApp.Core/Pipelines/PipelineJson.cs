using System.Text.Json.Serialization;

namespace StreamingApp.Core.Pipelines;

/// <summary>
/// The one JSON shape of results everywhere (stream, jobs, CLI): snake_case keys, x/y/w/h normalized,
/// <c>texts</c> left out for pipelines that do not read text. Source-generated: no reflection on the hot path.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FrameResult))]
[JsonSerializable(typeof(PipelineDefinition))]
public sealed partial class PipelineJson : JsonSerializerContext;
