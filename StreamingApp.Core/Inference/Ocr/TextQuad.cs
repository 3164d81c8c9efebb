using System.Numerics;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// A detected text line in frame pixels: four corners in reading order (top-left, top-right, bottom-right,
/// bottom-left as seen by the reader), and the detector's mean probability inside the box.
/// </summary>
internal readonly record struct TextQuad(Vector2 TopLeft, Vector2 TopRight, Vector2 BottomRight, Vector2 BottomLeft, float Score)
{
    /// <summary>Length of the reading direction (PaddleOCR takes the longer of the two opposite sides).</summary>
    public float Width => MathF.Max(Vector2.Distance(TopLeft, TopRight), Vector2.Distance(BottomLeft, BottomRight));

    public float Height => MathF.Max(Vector2.Distance(TopLeft, BottomLeft), Vector2.Distance(TopRight, BottomRight));

    /// <summary>The quad grown outwards on every side by <paramref name="margin"/> × its height.</summary>
    public TextQuad Grown(float margin)
    {
        var across = Vector2.Normalize(TopRight - TopLeft);
        var down = Vector2.Normalize(BottomLeft - TopLeft);
        var grow = margin * Height;
        var x = across * grow;
        var y = down * grow;
        return new TextQuad(TopLeft - x - y, TopRight + x - y, BottomRight + x + y, BottomLeft - x + y, Score);
    }

    /// <summary>
    /// The same box read after turning it a quarter counter-clockwise, as PaddleOCR does with crops at least
    /// 1.5 times taller than wide (vertical text): the old top-right corner becomes the reader's top-left.
    /// </summary>
    public TextQuad RotatedForReading() => new(TopRight, BottomRight, BottomLeft, TopLeft, Score);
}
