using StreamingApp.Core.Inference.Yolox;

namespace StreamingApp.Core.Pipelines.Steps;

/// <summary>
/// <c>"objects"</c>: YOLOX-nano COCO detections. Parameters <c>score_threshold</c> (default 0.30) and
/// <c>nms_threshold</c> (default 0.45).
/// </summary>
public sealed class ObjectsStep(YoloxDetector detector) : IPipelineStepFactory
{
    public string Name => "objects";

    public IPipelineStep Create(PipelineParameters parameters) =>
        new Step(detector, new YoloxSettings(
            parameters.GetSingle("score_threshold", YoloxSettings.DefaultScoreThreshold, 0.01f, 1f),
            parameters.GetSingle("nms_threshold", YoloxSettings.DefaultNmsThreshold, 0.01f, 1f)));

    private sealed class Step(YoloxDetector detector, YoloxSettings settings) : IPipelineStep
    {
        public ImageSize DecodeFit => detector.InputSize;

        public void Run(BgrImage frame, InferenceSlot slot, PipelineOutput output)
        {
            var detections = detector.Detect(frame, settings, slot, out var timings);
            output.AddDetections(detections, timings);
        }
    }
}
