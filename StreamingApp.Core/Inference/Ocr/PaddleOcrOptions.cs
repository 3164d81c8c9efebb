using System.ComponentModel.DataAnnotations;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// Pre- and post-processing parameters of <see cref="PaddleOcr"/>. Defaults are PaddleOCR's own for PP-OCRv4
/// (DB thresh 0.3, box_thresh 0.6, unclip_ratio 1.5, min_size 3, max_candidates 1000, drop_score 0.5).
/// Configuration section <c>Ocr</c>.
/// </summary>
public sealed class PaddleOcrOptions
{
    public const string Section = "Ocr";

    /// <summary>Frames whose long side exceeds this are scaled down for detection; smaller ones are never upscaled.</summary>
    [Range(32, 4096)]
    public int DetectionMaxSide { get; set; } = 960;

    /// <summary>A pixel of the probability map is text when its probability exceeds this.</summary>
    [Range(0.01, 0.99)]
    public float BinaryThreshold { get; set; } = 0.3f;

    /// <summary>A box is kept when the mean probability inside it reaches this.</summary>
    [Range(0.01, 0.99)]
    public float BoxThreshold { get; set; } = 0.6f;

    /// <summary>DB boxes are the shrunk text kernel; each side grows by area × ratio / perimeter.</summary>
    [Range(0.5, 4.0)]
    public float UnclipRatio { get; set; } = 1.5f;

    /// <summary>Boxes whose short side (in probability-map pixels) is below this are noise.</summary>
    [Range(1, 32)]
    public int MinSize { get; set; } = 3;

    /// <summary>At most this many connected components become candidate boxes.</summary>
    [Range(1, 10000)]
    public int MaxCandidates { get; set; } = 1000;

    /// <summary>
    /// The recognizer's crop grows by this × the line height on every side. The unclipped DB box hugs the glyphs;
    /// with that little context the PP-OCRv4 Chinese/English recognizer drops most spaces between words (a known
    /// weakness, PaddleOCR issues #8185, #11386; the maintainers' advice is a larger box). On the test images 0 gave
    /// 15% CER, 0.25–0.5 at most 0.7%, 0.3 none. The reported box stays the DB box.
    /// </summary>
    [Range(0.0, 1.0)]
    public float RecognitionMargin { get; set; } = 0.3f;

    /// <summary>Recognizer input width cap (height is 48); wider lines are squeezed.</summary>
    [Range(48, 4096)]
    public int RecognitionMaxWidth { get; set; } = 1280;

    /// <summary>Lines whose mean character confidence is below this are dropped.</summary>
    [Range(0.0, 1.0)]
    public float MinTextScore { get; set; } = 0.5f;
}
