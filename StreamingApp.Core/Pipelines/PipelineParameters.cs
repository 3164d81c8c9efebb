using System.Text.Json;

namespace StreamingApp.Core.Pipelines;

/// <summary>
/// A pipeline file's <c>"parameters"</c>, read by its steps at load time. Remembers which names were read, so the
/// catalog can refuse a parameter no step understands (a typo would otherwise be silently ignored).
/// </summary>
public sealed class PipelineParameters(string source, IReadOnlyDictionary<string, JsonElement>? values)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>The pipeline file, for error messages.</summary>
    public string Source { get; } = source;

    public float GetSingle(string name, float defaultValue, float min, float max)
    {
        _read.Add(name);
        if (values is null || !values.TryGetValue(name, out var element))
        {
            return defaultValue;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetSingle(out var value) || value < min || value > max)
        {
            throw new PipelineDefinitionException(Source, $"parameter '{name}' must be a number from {min} to {max}, not {element.GetRawText()}.");
        }

        return value;
    }

    internal IEnumerable<string> Unread()
    {
        if (values is null)
        {
            yield break;
        }

        foreach (var name in values.Keys)
        {
            if (!_read.Contains(name))
            {
                yield return name;
            }
        }
    }
}
