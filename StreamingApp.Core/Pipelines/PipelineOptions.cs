namespace StreamingApp.Core.Pipelines;

/// <summary>Where the pipeline definitions are (configuration section <c>Pipelines</c>).</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipelines";

    /// <summary>Folder of <c>*.json</c> pipeline files. Unset: <c>pipelines/</c> next to the application.</summary>
    public string? Directory { get; set; }

    /// <summary>The pipeline a new page starts with. Unset: the first definition by file name.</summary>
    public string? Default { get; set; }
}
