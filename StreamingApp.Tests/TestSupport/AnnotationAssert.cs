namespace StreamingApp.Tests.TestSupport;

/// <summary>Checks an annotated picture against the picture it was drawn on.</summary>
public static class AnnotationAssert
{
    /// <summary>Farther than this from every box, nothing is drawn (a caption band is far smaller at these sizes).</summary>
    private const int Margin = 48;

    /// <summary>
    /// Same size; along each box's left edge the pixels changed a lot (the box's line), while far from every box they
    /// differ only by what re-encoding costs (<paramref name="maxNoise"/>, mean absolute difference per channel).
    /// </summary>
    public static void DrawnOn(BgrImage original, BgrImage annotated, IReadOnlyList<Detection> boxes, double maxNoise)
    {
        Assert.Equal((original.Width, original.Height), (annotated.Width, annotated.Height));
        Assert.NotEmpty(boxes);
        foreach (var box in boxes)
        {
            var x = Math.Clamp((int)Math.Round(box.X * original.Width), 0, original.Width - 1);
            var top = (int)((box.Y + (box.H / 4)) * original.Height);
            var bottom = (int)((box.Y + (box.H * 3 / 4)) * original.Height);
            var edge = MeanDifference(original, annotated, (px, py) => px == x && py >= top && py < bottom, minPixels: 8);
            Assert.True(edge > 30, $"{box.Label}'s left edge at x={x} barely changed (mean difference {edge:F1})");
        }

        var far = MeanDifference(
            original, annotated, (px, py) => boxes.All(b => Distance(b, px, py, original) > Margin), minPixels: original.Width * original.Height / 20);
        Assert.True(far < maxNoise, $"pixels far from every box changed by {far:F1} on average (re-encoding noise is below {maxNoise})");
    }

    private static double Distance(Detection box, int x, int y, BgrImage image)
    {
        var left = box.X * image.Width;
        var right = (box.X + box.W) * image.Width;
        var top = box.Y * image.Height;
        var bottom = (box.Y + box.H) * image.Height;
        var dx = Math.Max(Math.Max(left - x, 0), x - right);
        var dy = Math.Max(Math.Max(top - y, 0), y - bottom);
        return Math.Max(dx, dy);
    }

    private static double MeanDifference(BgrImage a, BgrImage b, Func<int, int, bool> where, int minPixels)
    {
        long sum = 0;
        long count = 0;
        var pa = a.Pixels;
        var pb = b.Pixels;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                if (!where(x, y))
                {
                    continue;
                }

                var i = (y * a.Stride) + (x * 3);
                sum += Math.Abs(pa[i] - pb[i]) + Math.Abs(pa[i + 1] - pb[i + 1]) + Math.Abs(pa[i + 2] - pb[i + 2]);
                count++;
            }
        }

        Assert.True(count >= minPixels, $"only {count} pixels to compare, fewer than {minPixels}");
        return sum / (3.0 * count);
    }
}
