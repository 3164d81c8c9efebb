namespace StreamingApp.Tests.TestSupport;

/// <summary>Box comparisons for detection tests (normalized x, y top-left, w, h).</summary>
public static class BoxAssert
{
    public static float Iou(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh)
    {
        var w = MathF.Min(ax + aw, bx + bw) - MathF.Max(ax, bx);
        var h = MathF.Min(ay + ah, by + bh) - MathF.Max(ay, by);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        return intersection / ((aw * ah) + (bw * bh) - intersection);
    }

    public static float Iou(Detection a, Detection b) => Iou(a.X, a.Y, a.W, a.H, b.X, b.Y, b.W, b.H);

    /// <summary>Asserts one detection of <paramref name="label"/> overlaps the expected box with IoU ≥ <paramref name="minIou"/>.</summary>
    public static Detection HasDetection(IReadOnlyList<Detection> detections, string label, float x, float y, float w, float h, float minIou = 0.8f)
    {
        Detection? best = null;
        var bestIou = 0f;
        foreach (var d in detections)
        {
            var iou = Iou(d.X, d.Y, d.W, d.H, x, y, w, h);
            if (d.Label == label && iou > bestIou)
            {
                (best, bestIou) = (d, iou);
            }
        }

        Assert.True(
            best is not null && bestIou >= minIou,
            $"no '{label}' near ({x}, {y}, {w}, {h}); best IoU {bestIou:F2}; got: {string.Join("; ", detections)}");
        return best!;
    }
}
