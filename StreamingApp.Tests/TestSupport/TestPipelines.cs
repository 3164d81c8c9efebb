using System.Diagnostics.CodeAnalysis;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The one fake pipeline catalog: the pipelines a test gives, by id, in that order; the first is the default unless
/// <see cref="DefaultId"/> names another.
/// </summary>
public sealed class TestPipelineCatalog : IPipelineCatalog
{
    private readonly IFramePipeline[] _pipelines;

    public TestPipelineCatalog(params IFramePipeline[] pipelines)
    {
        _pipelines = pipelines;
        DefaultId = pipelines[0].Definition.Id;
    }

    public IReadOnlyList<PipelineDefinition> Definitions => [.. _pipelines.Select(p => p.Definition)];

    public string DefaultId { get; init; }

    public bool TryGet(string id, [NotNullWhen(true)] out IFramePipeline? pipeline)
    {
        pipeline = Array.Find(_pipelines, p => p.Definition.Id == id);
        return pipeline is not null;
    }
}

/// <summary>A scripted pipeline: <c>process</c> answers each frame (nothing found when not given), with fixed stage timings.</summary>
public sealed class TestPipeline(PipelineDefinition definition, Func<BgrImage, FrameResult>? process = null, StageTimings timings = default)
    : IFramePipeline
{
    public TestPipeline(string id, Func<BgrImage, FrameResult>? process = null, StageTimings timings = default)
        : this(new PipelineDefinition(id, id, "scripted test pipeline", [], null), process, timings)
    {
    }

    public PipelineDefinition Definition => definition;

    public ImageSize DecodeFit { get; init; } = ImageSize.Full;

    public FrameResult Process(BgrImage frame, InferenceSlot slot, out StageTimings stageTimings)
    {
        stageTimings = timings;
        return process?.Invoke(frame) ?? new FrameResult([], null);
    }
}
