using System.Diagnostics.CodeAnalysis;

namespace StreamingApp.Core.Pipelines;

/// <summary>The pipelines loaded at start, by id.</summary>
public interface IPipelineCatalog
{
    IReadOnlyList<PipelineDefinition> Definitions { get; }

    /// <summary>The pipeline offered first (configuration <c>Pipelines:Default</c>).</summary>
    string DefaultId { get; }

    bool TryGet(string id, [NotNullWhen(true)] out IFramePipeline? pipeline);
}
