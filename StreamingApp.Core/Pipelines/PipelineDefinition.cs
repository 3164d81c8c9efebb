using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingApp.Core.Pipelines;

/// <summary>A pipeline as written in its JSON file (docs/ARCHITECTURE.md).</summary>
public sealed record PipelineDefinition(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("steps")] IReadOnlyList<string> Steps,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, JsonElement>? Parameters);
