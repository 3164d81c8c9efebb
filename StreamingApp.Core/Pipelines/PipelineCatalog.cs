using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingApp.Core.Pipelines;

/// <summary>
/// The pipelines defined by the <c>*.json</c> files of one folder, loaded and validated once at start: bad JSON,
/// a missing field, an unknown step or parameter, or a duplicate id stop the app with a message naming the file.
/// </summary>
public sealed partial class PipelineCatalog : IPipelineCatalog
{
    private readonly Dictionary<string, IFramePipeline> _pipelines = new(StringComparer.Ordinal);

    public PipelineCatalog(IOptions<PipelineOptions> options, IEnumerable<IPipelineStepFactory> stepFactories, ILogger<PipelineCatalog> logger)
    {
        Directory = Path.GetFullPath(options.Value.Directory ?? Path.Combine(AppContext.BaseDirectory, "pipelines"));
        var factories = new Dictionary<string, IPipelineStepFactory>(StringComparer.Ordinal);
        foreach (var factory in stepFactories)
        {
            factories[factory.Name] = factory;
        }

        if (!System.IO.Directory.Exists(Directory))
        {
            throw new InvalidOperationException($"The pipelines folder {Directory} does not exist; set Pipelines:Directory.");
        }

        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var definitions = new List<PipelineDefinition>();
        var files = System.IO.Directory.GetFiles(Directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var definition = Read(file);
            if (sources.TryGetValue(definition.Id, out var other))
            {
                throw new PipelineDefinitionException(file, $"pipeline id '{definition.Id}' is already defined by {other}.");
            }

            sources.Add(definition.Id, file);
            _pipelines.Add(definition.Id, Build(file, definition, factories));
            definitions.Add(definition);
            LogLoaded(logger, definition.Id, string.Join(",", definition.Steps), file);
        }

        if (definitions.Count == 0)
        {
            throw new InvalidOperationException($"No pipeline definitions (*.json) in {Directory}.");
        }

        Definitions = definitions;
        DefaultId = options.Value.Default ?? definitions[0].Id;
        if (!_pipelines.ContainsKey(DefaultId))
        {
            throw new InvalidOperationException($"Pipelines:Default names '{DefaultId}', which no file in {Directory} defines.");
        }
    }

    public string Directory { get; }

    public IReadOnlyList<PipelineDefinition> Definitions { get; }

    public string DefaultId { get; }

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IFramePipeline? pipeline) =>
        _pipelines.TryGetValue(id, out pipeline);

    private static PipelineDefinition Read(string file)
    {
        PipelineDefinition? definition;
        try
        {
            using var stream = File.OpenRead(file);
            definition = JsonSerializer.Deserialize(stream, PipelineJson.Default.PipelineDefinition);
        }
        catch (JsonException ex)
        {
            throw new PipelineDefinitionException(file, "invalid JSON: " + ex.Message, ex);
        }

        if (definition is null)
        {
            throw new PipelineDefinitionException(file, "expected a JSON object.");
        }

        // The record's properties are non-nullable, but JSON may simply leave them out.
        if (string.IsNullOrEmpty(definition.Id) || !IdPattern().IsMatch(definition.Id))
        {
            throw new PipelineDefinitionException(file, $"\"id\" must be lowercase letters, digits, '_' or '-', not '{definition.Id}'.");
        }

        if (string.IsNullOrWhiteSpace(definition.Name) || definition.Description is null)
        {
            throw new PipelineDefinitionException(file, "\"name\" and \"description\" are required.");
        }

        if (definition.Steps is not { Count: > 0 })
        {
            throw new PipelineDefinitionException(file, "\"steps\" must list at least one step.");
        }

        return definition;
    }

    private static StepPipeline Build(string file, PipelineDefinition definition, Dictionary<string, IPipelineStepFactory> factories)
    {
        var parameters = new PipelineParameters(file, definition.Parameters);
        var steps = new IPipelineStep[definition.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            var name = definition.Steps[i];
            if (!factories.TryGetValue(name, out var factory))
            {
                throw new PipelineDefinitionException(file, $"unknown step '{name}'; known steps: {string.Join(", ", factories.Keys.Order(StringComparer.Ordinal))}.");
            }

            steps[i] = factory.Create(parameters);
        }

        var unused = parameters.Unread().FirstOrDefault();
        if (unused is not null)
        {
            throw new PipelineDefinitionException(file, $"parameter '{unused}' is not used by any of its steps ({string.Join(", ", definition.Steps)}).");
        }

        return new StepPipeline(definition, steps);
    }

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex IdPattern();

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Pipeline {Id} ({Steps}) loaded from {File}")]
    private static partial void LogLoaded(ILogger logger, string id, string steps, string file);
}
