using System.Numerics;
using StreamingApp.Core.Inference.Ocr;

namespace StreamingApp.Tests.Inference.Ocr;

public sealed class DbPostProcessorTests
{
    private static readonly PaddleOcrOptions Options = new();

    [Fact]
    public void FindBoxes_TwoSeparateBars_ReturnsUnclippedBoxesInReadingOrderScaledToTheFrame()
    {
        // Arrange: a 64×32 map, bars rows 4..9 × cols 30..59 and rows 20..25 × cols 2..41; frame twice the size.
        var map = new float[64 * 32];
        Fill(map, 64, 4, 9, 30, 59, 0.9f);
        Fill(map, 64, 20, 25, 2, 41, 0.8f);
        var boxes = new TextQuad[Options.MaxCandidates];

        // Act
        var count = DbPostProcessor.FindBoxes(map, 64, 32, Options, 128, 64, boxes);

        // Assert: the pixel-centre rectangle 29×5 grows by 29·5·1.5 / (2·34) = 3.2 px per side (map pixels).
        Assert.Equal(2, count);
        AssertCorner(new Vector2(30 - 3.2f, 4 - 3.2f) * 2, boxes[0].TopLeft);
        AssertCorner(new Vector2(59 + 3.2f, 9 + 3.2f) * 2, boxes[0].BottomRight);
        Assert.Equal(0.9f, boxes[0].Score, 4);
        Assert.True(boxes[1].TopLeft.Y > boxes[0].TopLeft.Y);
        Assert.Equal(0.8f, boxes[1].Score, 4);
    }

    [Fact]
    public void FindBoxes_DiagonalStaircase_JoinsEightConnectedPixelsIntoOneRotatedBox()
    {
        // Arrange: a thick diagonal band, each row shifted one pixel right: 8-connected, one component, ~45°.
        var map = new float[64 * 64];
        for (var y = 10; y < 50; y++)
        {
            Fill(map, 64, y, y, y - 5, y + 1, 0.9f);
        }

        var boxes = new TextQuad[Options.MaxCandidates];

        // Act
        var count = DbPostProcessor.FindBoxes(map, 64, 64, Options, 64, 64, boxes);

        // Assert: one box, its long side along the diagonal.
        Assert.Equal(1, count);
        var along = boxes[0].TopRight - boxes[0].TopLeft;
        Assert.InRange(MathF.Abs(along.Y / along.X), 0.8f, 1.25f);
        Assert.True(boxes[0].Width > 3 * boxes[0].Height);
    }

    [Fact]
    public void FindBoxes_FaintRegionAndTinySpeck_AreDiscarded()
    {
        // Arrange: a large region just above the binary threshold (mean below box threshold) and a 2×2 speck.
        var map = new float[64 * 32];
        Fill(map, 64, 4, 20, 4, 40, 0.35f);
        Fill(map, 64, 25, 26, 50, 51, 0.99f);
        var boxes = new TextQuad[Options.MaxCandidates];

        // Act
        var count = DbPostProcessor.FindBoxes(map, 64, 32, Options, 64, 32, boxes);

        // Assert
        Assert.Equal(0, count);
    }

    private static void Fill(float[] map, int width, int y0, int y1, int x0, int x1, float value)
    {
        for (var y = y0; y <= y1; y++)
        {
            map.AsSpan((y * width) + x0, x1 - x0 + 1).Fill(value);
        }
    }

    private static void AssertCorner(Vector2 expected, Vector2 actual)
    {
        Assert.InRange(Vector2.Distance(expected, actual), 0, 0.01f);
    }
}
