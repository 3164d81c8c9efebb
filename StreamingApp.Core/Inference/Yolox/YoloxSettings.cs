namespace StreamingApp.Core.Inference.Yolox;

/// <summary>Post-processing thresholds (pipeline parameters <c>score_threshold</c>, <c>nms_threshold</c>).</summary>
public sealed record YoloxSettings(float ScoreThreshold = YoloxSettings.DefaultScoreThreshold, float NmsThreshold = YoloxSettings.DefaultNmsThreshold)
{
    public const float DefaultScoreThreshold = 0.30f;
    public const float DefaultNmsThreshold = 0.45f;

    public static YoloxSettings Default { get; } = new();
}
