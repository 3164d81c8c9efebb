namespace StreamingApp.Core.Pipelines;

/// <summary>What the steps of a pipeline have found so far in one frame.</summary>
public sealed class PipelineOutput
{
    private readonly List<Detection> _detections = [];
    private List<RecognizedText>? _texts;

    public StageTimings Timings { get; private set; }

    public void AddDetections(IReadOnlyList<Detection> detections, StageTimings timings)
    {
        _detections.AddRange(detections);
        Timings += timings;
    }

    /// <summary>Marks the result as one that reads text: <c>texts</c> is then present, even when empty.</summary>
    public void AddTexts(IReadOnlyList<RecognizedText> texts, StageTimings timings)
    {
        (_texts ??= []).AddRange(texts);
        Timings += timings;
    }

    public FrameResult ToResult() => new(_detections, _texts);
}
