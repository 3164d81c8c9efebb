namespace StreamingApp.Core.Pipelines;

/// <summary>A pipeline that runs its steps in order on the same frame and merges what they find.</summary>
internal sealed class StepPipeline : IFramePipeline
{
    private readonly IPipelineStep[] _steps;

    public StepPipeline(PipelineDefinition definition, IPipelineStep[] steps)
    {
        Definition = definition;
        _steps = steps;
        var fit = steps.Length > 0 ? steps[0].DecodeFit : ImageSize.Full;
        foreach (var step in steps)
        {
            fit = ImageSize.Max(fit, step.DecodeFit);
        }

        DecodeFit = fit;
    }

    public PipelineDefinition Definition { get; }

    public ImageSize DecodeFit { get; }

    public FrameResult Process(BgrImage frame, InferenceSlot slot, out StageTimings timings)
    {
        var output = new PipelineOutput();
        foreach (var step in _steps)
        {
            step.Run(frame, slot, output);
        }

        timings = output.Timings;
        return output.ToResult();
    }
}
