namespace StreamingApp.Core.Pipelines;

/// <summary>A pipeline file that cannot be used; the message starts with the file's path.</summary>
public sealed class PipelineDefinitionException(string source, string problem, Exception? inner = null)
    : Exception($"{source}: {problem}", inner)
{
    public string File { get; } = source;
}
