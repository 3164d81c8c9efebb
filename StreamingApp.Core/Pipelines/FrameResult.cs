using System.Diagnostics;

namespace StreamingApp.Core.Pipelines;

/// <summary>An object found in a frame. Coordinates are normalized to the frame (0..1), x/y the top-left corner.</summary>
public sealed record Detection(float X, float Y, float W, float H, string Label, float Score);

/// <summary>A line of text read from a frame. Coordinates as in <see cref="Detection"/>.</summary>
public sealed record RecognizedText(float X, float Y, float W, float H, string Text, float Score);

/// <summary>
/// What a pipeline found in one frame. <see cref="Texts"/> is null for pipelines that do not read text,
/// so the wire format can leave it out.
/// </summary>
public sealed record FrameResult(IReadOnlyList<Detection> Detections, IReadOnlyList<RecognizedText>? Texts);

/// <summary>Where a pipeline spent its time on one frame, in milliseconds.</summary>
public readonly record struct StageTimings(double PreprocessMs, double InferenceMs, double PostprocessMs)
{
    public double TotalMs => PreprocessMs + InferenceMs + PostprocessMs;

    /// <summary>The stages between four <see cref="Stopwatch.GetTimestamp"/> readings: start, input ready, model run, done.</summary>
    public static StageTimings Between(long start, long prepared, long inferred, long done) => new(
        Stopwatch.GetElapsedTime(start, prepared).TotalMilliseconds,
        Stopwatch.GetElapsedTime(prepared, inferred).TotalMilliseconds,
        Stopwatch.GetElapsedTime(inferred, done).TotalMilliseconds);

    public static StageTimings operator +(StageTimings a, StageTimings b) =>
        new(a.PreprocessMs + b.PreprocessMs, a.InferenceMs + b.InferenceMs, a.PostprocessMs + b.PostprocessMs);
}
