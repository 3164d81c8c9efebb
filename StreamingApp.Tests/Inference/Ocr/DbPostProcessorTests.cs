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
        Bar[] bars = [new(4, 9, 30, 59, 0.9f), new(20, 25, 2, 41, 0.8f)];

        // Act
        var boxes = FindBoxes(new(64, 32), new(128, 64), bars);

        // Assert: the pixel-centre rectangle 29×5 grows by 29·5·1.5 / (2·34) = 3.2 px per side (map pixels).
        Assert.Equal(2, boxes.Length);
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
        var rows = Enumerable.Range(10, 40).Select(y => new Bar(y, y, y - 5, y + 1, 0.9f)).ToArray();

        // Act
        var boxes = FindBoxes(new(64, 64), new(64, 64), rows);

        // Assert: one box, its long side along the diagonal.
        var box = Assert.Single(boxes);
        var along = box.TopRight - box.TopLeft;
        Assert.InRange(MathF.Abs(along.Y / along.X), 0.8f, 1.25f);
        Assert.True(box.Width > 3 * box.Height);
    }

    [Fact]
    public void FindBoxes_FaintRegionAndTinySpeck_AreDiscarded()
    {
        // Arrange: a large region just above the binary threshold (mean below box threshold) and a 2×2 speck.
        Bar[] bars = [new(4, 20, 4, 40, 0.35f), new(25, 26, 50, 51, 0.99f)];

        // Act
        var boxes = FindBoxes(new(64, 32), new(64, 32), bars);

        // Assert
        Assert.Empty(boxes);
    }

    /// <summary>Rows Y0 … Y1 × columns X0 … X1 of the map, at one probability.</summary>
    private sealed record Bar(int Y0, int Y1, int X0, int X1, float Value);

    /// <summary>The boxes found in a map of <paramref name="map"/>'s size, zero but for the bars, for a frame of <paramref name="frame"/>'s size.</summary>
    private static TextQuad[] FindBoxes(ImageSize map, ImageSize frame, Bar[] bars)
    {
        var probability = new float[map.Width * map.Height];
        foreach (var bar in bars)
        {
            for (var y = bar.Y0; y <= bar.Y1; y++)
            {
                probability.AsSpan((y * map.Width) + bar.X0, bar.X1 - bar.X0 + 1).Fill(bar.Value);
            }
        }

        var boxes = new TextQuad[Options.MaxCandidates];
        var count = DbPostProcessor.FindBoxes(probability, map.Width, map.Height, Options, frame.Width, frame.Height, boxes);
        return boxes[..count];
    }

    private static void AssertCorner(Vector2 expected, Vector2 actual)
    {
        Assert.InRange(Vector2.Distance(expected, actual), 0, 0.01f);
    }
}
