using System.Text.Json;

namespace StreamingApp.Core.Pipelines;

/// <summary>A pipeline as written in its JSON file (docs/ARCHITECTURE.md), read with <see cref="PipelineJson"/>'s snake_case keys.</summary>
public sealed record PipelineDefinition(
    string Id,
    string Name,
    string Description,
    IReadOnlyList<string> Steps,
    IReadOnlyDictionary<string, JsonElement>? Parameters);
