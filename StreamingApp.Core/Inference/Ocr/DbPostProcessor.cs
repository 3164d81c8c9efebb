using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// Differentiable Binarization post-processing (PaddleOCR's DBPostProcess, without OpenCV): threshold the
/// probability map, label 8-connected components, fit a minimum-area rectangle to each, score it by the mean
/// probability inside, grow it by the unclip distance and map it to frame pixels.
/// </summary>
/// <remarks>
/// Components are labelled on horizontal runs (union-find over runs, one pass over the map) instead of tracing
/// contours: the outer contour of an 8-connected component and its runs have the same convex hull, and the hull
/// is all the minimum-area rectangle needs. Unclipping a rectangle with round joins and taking the minimum-area
/// rectangle of the result (what PaddleOCR does with pyclipper) is exactly the rectangle grown by the offset on
/// every side, so no polygon clipper is needed.
/// </remarks>
internal static class DbPostProcessor
{
    private const float Epsilon = 1e-3f;

    /// <summary>Fills <paramref name="boxes"/> (capacity at least MaxCandidates) in reading order; returns how many.</summary>
    public static int FindBoxes(
        ReadOnlySpan<float> probability, int mapWidth, int mapHeight, PaddleOcrOptions options,
        int frameWidth, int frameHeight, Span<TextQuad> boxes)
    {
        var runs = ArrayPool<Run>.Shared.Rent(mapHeight * ((mapWidth + 1) / 2));
        try
        {
            var runCount = LabelRuns(probability, mapWidth, mapHeight, options.BinaryThreshold, runs);
            return runCount == 0 ? 0 : BoxComponents(probability, mapWidth, mapHeight, options, frameWidth, frameHeight, runs, runCount, boxes);
        }
        finally
        {
            ArrayPool<Run>.Shared.Return(runs);
        }
    }

    /// <summary>Groups the labelled runs into components, then fits one box to each, top-most component first.</summary>
    private static int BoxComponents(
        ReadOnlySpan<float> probability, int mapWidth, int mapHeight, PaddleOcrOptions options,
        int frameWidth, int frameHeight, Run[] runs, int runCount, Span<TextQuad> boxes)
    {
        var componentOfRun = ArrayPool<int>.Shared.Rent(runCount);
        int[]? componentStart = null;
        var members = ArrayPool<int>.Shared.Rent(runCount);

        // Hull input: the leftmost and rightmost pixel of each row (at most 2 × rows), then room for the hull.
        var points = ArrayPool<Vector2>.Shared.Rent((6 * mapHeight) + 2);
        try
        {
            var componentCount = NumberComponents(runs, runCount, componentOfRun);
            componentStart = ArrayPool<int>.Shared.Rent(componentCount + 1);
            var starts = componentStart.AsSpan(0, componentCount + 1);
            BucketRuns(componentOfRun.AsSpan(0, runCount), starts, members);
            var scaleX = (float)frameWidth / mapWidth;
            var scaleY = (float)frameHeight / mapHeight;
            var count = 0;
            var candidates = Math.Min(componentCount, Math.Min(options.MaxCandidates, boxes.Length));
            for (var c = 0; c < candidates; c++)
            {
                var rowPoints = CollectRowExtremes(runs, members.AsSpan(starts[c], starts[c + 1] - starts[c]), points);
                var hull = ConvexHull(points.AsSpan(0, rowPoints), points.AsSpan(rowPoints, (2 * rowPoints) + 1));
                if (TryFitBox(hull, probability, mapWidth, mapHeight, options, scaleX, scaleY, frameWidth, frameHeight, out var quad))
                {
                    boxes[count++] = quad;
                }
            }

            SortReadingOrder(boxes[..count]);
            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(componentOfRun);
            if (componentStart is not null)
            {
                ArrayPool<int>.Shared.Return(componentStart);
            }

            ArrayPool<int>.Shared.Return(members);
            ArrayPool<Vector2>.Shared.Return(points);
        }
    }

    /// <summary>Numbers the components in order of their first run (top-most first); returns how many there are.</summary>
    private static int NumberComponents(Run[] runs, int runCount, Span<int> componentOfRun)
    {
        var componentCount = 0;
        for (var r = 0; r < runCount; r++)
        {
            var root = Find(runs, r);
            componentOfRun[r] = root == r ? componentCount++ : componentOfRun[root];
        }

        return componentCount;
    }

    /// <summary>
    /// Buckets the runs per component with a counting sort, which keeps each component's runs in row order:
    /// component c's runs are <c>members[starts[c]..starts[c + 1]]</c>.
    /// </summary>
    private static void BucketRuns(ReadOnlySpan<int> componentOfRun, Span<int> starts, Span<int> members)
    {
        starts.Clear();
        foreach (var component in componentOfRun)
        {
            starts[component + 1]++;
        }

        for (var c = 0; c < starts.Length - 1; c++)
        {
            starts[c + 1] += starts[c];
        }

        for (var r = 0; r < componentOfRun.Length; r++)
        {
            members[starts[componentOfRun[r]]++] = r;
        }

        // The fill loop advanced every start to the next component's start; shift back.
        for (var c = starts.Length - 1; c > 0; c--)
        {
            starts[c] = starts[c - 1];
        }

        starts[0] = 0;
    }

    /// <summary>
    /// The box of one component, or false when PaddleOCR would drop it: no area, too small, too faint, too small once
    /// grown, or 3 px or less in the frame.
    /// </summary>
    private static bool TryFitBox(
        ReadOnlySpan<Vector2> hull, ReadOnlySpan<float> probability, int mapWidth, int mapHeight, PaddleOcrOptions options,
        float scaleX, float scaleY, int frameWidth, int frameHeight, out TextQuad quad)
    {
        quad = default;
        if (hull.Length < 3)
        {
            return false; // a single row or column of pixels: no area
        }

        var rect = MinAreaRect(hull);
        if (MathF.Min(rect.Width, rect.Height) < options.MinSize)
        {
            return false;
        }

        var score = MeanInside(probability, mapWidth, mapHeight, rect);
        if (score < options.BoxThreshold)
        {
            return false;
        }

        var grown = rect.Unclip(options.UnclipRatio);
        if (MathF.Min(grown.Width, grown.Height) < options.MinSize + 2)
        {
            return false;
        }

        quad = grown.ToFrame(scaleX, scaleY, frameWidth, frameHeight, score);
        return (int)quad.Width > 3 && (int)quad.Height > 3;
    }

    /// <summary>Top to bottom, then left to right among boxes whose tops are within 10 px (PaddleOCR's sorted_boxes).</summary>
    private static void SortReadingOrder(Span<TextQuad> boxes)
    {
        boxes.Sort(static (a, b) =>
        {
            var byY = a.TopLeft.Y.CompareTo(b.TopLeft.Y);
            return byY != 0 ? byY : a.TopLeft.X.CompareTo(b.TopLeft.X);
        });
        for (var i = 0; i < boxes.Length - 1; i++)
        {
            for (var j = i; j >= 0; j--)
            {
                if (MathF.Abs(boxes[j + 1].TopLeft.Y - boxes[j].TopLeft.Y) < 10 && boxes[j + 1].TopLeft.X < boxes[j].TopLeft.X)
                {
                    (boxes[j], boxes[j + 1]) = (boxes[j + 1], boxes[j]);
                }
                else
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Finds the runs of above-threshold pixels row by row and unites each with the runs of the row above that
    /// touch it, diagonals included (8-connectivity). Returns the run count; each run's root is its component's first run.
    /// </summary>
    private static int LabelRuns(ReadOnlySpan<float> probability, int width, int height, float threshold, Run[] runs)
    {
        var count = 0;
        var previousStart = 0;
        var previousEnd = 0;
        var limit = Vector256.Create(threshold);
        for (var y = 0; y < height; y++)
        {
            var row = probability.Slice(y * width, width);
            var currentStart = count;
            var above = previousStart;
            var x = 0;
            while (x < width)
            {
                // Most of a frame is background: skip it eight pixels at a time.
                while (x + Vector256<float>.Count <= width && !Vector256.GreaterThanAny(Vector256.Create(row.Slice(x, Vector256<float>.Count)), limit))
                {
                    x += Vector256<float>.Count;
                }

                while (x < width && row[x] <= threshold)
                {
                    x++;
                }

                if (x == width)
                {
                    break;
                }

                var start = x;
                while (x < width && row[x] > threshold)
                {
                    x++;
                }

                var end = x - 1;
                runs[count] = new Run(y, start, end, count);
                while (above < previousEnd && runs[above].End < start - 1)
                {
                    above++;
                }

                // 'above' stays put: the next run of this row may touch the same run above.
                for (var k = above; k < previousEnd && runs[k].Start <= end + 1; k++)
                {
                    Union(runs, count, k);
                }

                count++;
            }

            previousStart = currentStart;
            previousEnd = count;
        }

        return count;
    }

    private static int Find(Run[] runs, int r)
    {
        while (runs[r].Parent != r)
        {
            runs[r].Parent = runs[runs[r].Parent].Parent; // path halving
            r = runs[r].Parent;
        }

        return r;
    }

    private static void Union(Run[] runs, int a, int b)
    {
        var rootA = Find(runs, a);
        var rootB = Find(runs, b);
        if (rootA < rootB)
        {
            runs[rootB].Parent = rootA;
        }
        else if (rootB < rootA)
        {
            runs[rootA].Parent = rootB;
        }
    }

    /// <summary>Leftmost and rightmost pixel centre of each row of a component, sorted by (y, x).</summary>
    private static int CollectRowExtremes(Run[] runs, ReadOnlySpan<int> componentRuns, Vector2[] points)
    {
        var n = 0;
        var index = 0;
        while (index < componentRuns.Length)
        {
            var first = runs[componentRuns[index]];
            var right = first.End;
            index++;
            while (index < componentRuns.Length && runs[componentRuns[index]].Y == first.Y)
            {
                right = Math.Max(right, runs[componentRuns[index]].End);
                index++;
            }

            points[n++] = new Vector2(first.Start, first.Y);
            if (right != first.Start)
            {
                points[n++] = new Vector2(right, first.Y);
            }
        }

        return n;
    }

    /// <summary>Andrew's monotone chain over points already sorted by (y, x); collinear points dropped.</summary>
    private static ReadOnlySpan<Vector2> ConvexHull(ReadOnlySpan<Vector2> sorted, Span<Vector2> hull)
    {
        if (sorted.Length < 3)
        {
            return sorted;
        }

        var k = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0)
            {
                k--;
            }

            hull[k++] = sorted[i];
        }

        for (int i = sorted.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0)
            {
                k--;
            }

            hull[k++] = sorted[i];
        }

        return hull[..(k - 1)]; // the last point repeats the first
    }

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));

    /// <summary>Rotating calipers: the minimum-area enclosing rectangle has a side on a hull edge.</summary>
    private static RotatedRect MinAreaRect(ReadOnlySpan<Vector2> hull)
    {
        var best = default(RotatedRect);
        var bestArea = float.PositiveInfinity;
        for (var i = 0; i < hull.Length; i++)
        {
            var origin = hull[i];
            var edge = hull[(i + 1) % hull.Length] - origin;
            var length = edge.Length();
            if (length == 0)
            {
                continue;
            }

            var axis = edge / length;
            var normal = new Vector2(-axis.Y, axis.X);
            float minU = 0, maxU = 0, minV = 0, maxV = 0;
            foreach (var p in hull)
            {
                var d = p - origin;
                var u = Vector2.Dot(d, axis);
                var v = Vector2.Dot(d, normal);
                minU = MathF.Min(minU, u);
                maxU = MathF.Max(maxU, u);
                minV = MathF.Min(minV, v);
                maxV = MathF.Max(maxV, v);
            }

            var area = (maxU - minU) * (maxV - minV);
            if (area < bestArea)
            {
                bestArea = area;
                var center = origin + (axis * ((minU + maxU) / 2)) + (normal * ((minV + maxV) / 2));
                best = RotatedRect.Create(center, axis, maxU - minU, maxV - minV);
            }
        }

        return best;
    }

    /// <summary>Mean probability over the map pixels whose centres lie inside the rectangle (PaddleOCR's "fast" score).</summary>
    private static float MeanInside(ReadOnlySpan<float> probability, int width, int height, in RotatedRect rect)
    {
        Span<Vector2> corners = stackalloc Vector2[4];
        rect.GetCorners(corners);
        float minY = float.MaxValue, maxY = float.MinValue;
        foreach (var c in corners)
        {
            minY = MathF.Min(minY, c.Y);
            maxY = MathF.Max(maxY, c.Y);
        }

        var sum = 0f;
        var count = 0;
        var yFrom = Math.Max(0, (int)MathF.Ceiling(minY - Epsilon));
        var yTo = Math.Min(height - 1, (int)MathF.Floor(maxY + Epsilon));
        for (var y = yFrom; y <= yTo; y++)
        {
            var scan = Math.Clamp(y, minY, maxY);
            float left = float.MaxValue, right = float.MinValue;
            for (var i = 0; i < 4; i++)
            {
                var a = corners[i];
                var b = corners[(i + 1) & 3];
                if (scan < MathF.Min(a.Y, b.Y) || scan > MathF.Max(a.Y, b.Y))
                {
                    continue;
                }

                if (b.Y == a.Y)
                {
                    left = MathF.Min(left, MathF.Min(a.X, b.X));
                    right = MathF.Max(right, MathF.Max(a.X, b.X));
                }
                else
                {
                    var x = a.X + ((scan - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                    left = MathF.Min(left, x);
                    right = MathF.Max(right, x);
                }
            }

            var xFrom = Math.Max(0, (int)MathF.Ceiling(left - Epsilon));
            var xTo = Math.Min(width - 1, (int)MathF.Floor(right + Epsilon));
            if (xTo >= xFrom)
            {
                sum += TensorPrimitives.Sum(probability.Slice((y * width) + xFrom, xTo - xFrom + 1));
                count += xTo - xFrom + 1;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private record struct Run(int Y, int Start, int End, int Parent);

    /// <summary>A rectangle whose <see cref="Axis"/> (its width direction) is the more horizontal side, pointing right.</summary>
    private readonly record struct RotatedRect(Vector2 Center, Vector2 Axis, float Width, float Height)
    {
        public static RotatedRect Create(Vector2 center, Vector2 axis, float width, float height)
        {
            if (MathF.Abs(axis.Y) > MathF.Abs(axis.X))
            {
                (axis, width, height) = (new Vector2(-axis.Y, axis.X), height, width);
            }

            return new RotatedRect(center, axis.X < 0 ? -axis : axis, width, height);
        }

        /// <summary>Points down the page (image y grows downwards).</summary>
        private Vector2 Normal => new(-Axis.Y, Axis.X);

        /// <summary>DB's kernel is the text shrunk by area × ratio / perimeter; grow it back by that on every side.</summary>
        public RotatedRect Unclip(float ratio)
        {
            var offset = Width * Height * ratio / (2 * (Width + Height));
            return this with { Width = Width + (2 * offset), Height = Height + (2 * offset) };
        }

        public void GetCorners(Span<Vector2> corners)
        {
            var halfWidth = Axis * (Width / 2);
            var halfHeight = Normal * (Height / 2);
            corners[0] = Center - halfWidth - halfHeight;
            corners[1] = Center + halfWidth - halfHeight;
            corners[2] = Center + halfWidth + halfHeight;
            corners[3] = Center - halfWidth + halfHeight;
        }

        /// <summary>Scales map pixels to frame pixels and clips each corner to the frame, as PaddleOCR does.</summary>
        public TextQuad ToFrame(float scaleX, float scaleY, int frameWidth, int frameHeight, float score)
        {
            Span<Vector2> c = stackalloc Vector2[4];
            GetCorners(c);
            var scale = new Vector2(scaleX, scaleY);
            var max = new Vector2(frameWidth, frameHeight);
            for (var i = 0; i < 4; i++)
            {
                c[i] = Vector2.Clamp(c[i] * scale, Vector2.Zero, max);
            }

            return new TextQuad(c[0], c[1], c[2], c[3], score);
        }
    }
}
