using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingApp.Core.Inference;

/// <summary>One entry of <c>models/models.json</c> (snake_case keys: <c>input_size</c>, <c>sha256</c>).</summary>
public sealed record ModelEntry(
    string Name,
    string File,
    string? Description,
    IReadOnlyList<int>? InputSize,
    string? Licence,
    IReadOnlyList<string> Sha256,
    JsonElement? Sources);

internal sealed record ModelManifest(IReadOnlyList<ModelEntry> Models);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelManifestJson : JsonSerializerContext;
