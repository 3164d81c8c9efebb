using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingApp.Core.Inference;

/// <summary>One entry of <c>models/models.json</c>.</summary>
public sealed record ModelEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("input_size")] IReadOnlyList<int>? InputSize,
    [property: JsonPropertyName("licence")] string? Licence,
    [property: JsonPropertyName("sha256")] IReadOnlyList<string> Sha256,
    [property: JsonPropertyName("sources")] JsonElement? Sources);

internal sealed record ModelManifest([property: JsonPropertyName("models")] IReadOnlyList<ModelEntry> Models);

[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelManifestJson : JsonSerializerContext;
