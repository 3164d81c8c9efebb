using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamingApp.Core.Imaging;

/// <summary>Where the frame landed in the model input: top-left, <see cref="Scale"/> = input pixels per frame pixel.</summary>
public readonly record struct LetterboxInfo(float Scale, int ContentWidth, int ContentHeight);

/// <summary>
/// Resizes a frame (aspect kept, bilinear, half-pixel centres like OpenCV's INTER_LINEAR) into the top-left of a
/// model input and pads the rest with 114 — the YOLOX preprocessing — writing planar BGR floats (raw 0–255)
/// straight into the tensor, with no intermediate image.
/// </summary>
public static class Letterbox
{
    public const float PadValue = 114f;

    public static LetterboxInfo Apply(BgrImage frame, Span<float> chw, ImageSize input)
    {
        int inW = input.Width, inH = input.Height, plane = inW * inH;
        if (chw.Length < 3 * plane)
        {
            throw new ArgumentException($"The tensor holds {chw.Length} values; a 3x{inH}x{inW} input needs {3 * plane}.", nameof(chw));
        }

        var scale = Math.Min((float)inW / frame.Width, (float)inH / frame.Height);
        var contentW = Math.Clamp((int)(frame.Width * scale), 1, inW);
        var contentH = Math.Clamp((int)(frame.Height * scale), 1, inH);

        chw[..(3 * plane)].Fill(PadValue);

        // Per destination column: source byte offset and weight, computed once per frame, not per row.
        var xOffsets = ArrayPool<int>.Shared.Rent(contentW);
        var xWeights = ArrayPool<float>.Shared.Rent(contentW);
        // Two horizontally resized source rows, planar (B, G, R), so the vertical blend is contiguous and vectorizes.
        var rowA = ArrayPool<float>.Shared.Rent(3 * contentW);
        var rowB = ArrayPool<float>.Shared.Rent(3 * contentW);
        try
        {
            PrepareColumns(frame.Width, contentW, xOffsets, xWeights);
            var src = frame.Pixels;
            var stride = frame.Stride;
            var ratioY = (float)frame.Height / contentH;
            int rowAIndex = -1, rowBIndex = -1;
            for (var y = 0; y < contentH; y++)
            {
                SourceCoordinate(y, ratioY, frame.Height, out var y0, out var fy);
                var y1 = Math.Min(y0 + 1, frame.Height - 1);
                // Reuse the rows already resized for the previous output row (the common case when downscaling slightly).
                if (rowAIndex != y0)
                {
                    if (rowBIndex == y0)
                    {
                        (rowA, rowB) = (rowB, rowA);
                        (rowAIndex, rowBIndex) = (rowBIndex, rowAIndex);
                    }
                    else
                    {
                        ResizeRow(src.Slice(y0 * stride, stride), xOffsets, xWeights, rowA, contentW);
                        rowAIndex = y0;
                    }
                }

                if (rowBIndex != y1)
                {
                    ResizeRow(src.Slice(y1 * stride, stride), xOffsets, xWeights, rowB, contentW);
                    rowBIndex = y1;
                }

                for (var c = 0; c < 3; c++)
                {
                    BlendRows(
                        rowA.AsSpan(c * contentW, contentW),
                        rowB.AsSpan(c * contentW, contentW),
                        fy,
                        chw.Slice((c * plane) + (y * inW), contentW));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(xOffsets);
            ArrayPool<float>.Shared.Return(xWeights);
            ArrayPool<float>.Shared.Return(rowA);
            ArrayPool<float>.Shared.Return(rowB);
        }

        return new LetterboxInfo(scale, contentW, contentH);
    }

    private static void PrepareColumns(int srcWidth, int dstWidth, int[] offsets, float[] weights)
    {
        var ratio = (float)srcWidth / dstWidth;
        for (var x = 0; x < dstWidth; x++)
        {
            SourceCoordinate(x, ratio, srcWidth, out var x0, out var fx);
            offsets[x] = x0 * 3;
            weights[x] = fx;
        }
    }

    /// <summary>OpenCV's mapping: src = (dst + 0.5) · ratio − 0.5, clamped at both edges (weight 0 there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SourceCoordinate(int dst, float ratio, int srcLength, out int index, out float weight)
    {
        var s = ((dst + 0.5f) * ratio) - 0.5f;
        if (s <= 0)
        {
            index = 0;
            weight = 0;
            return;
        }

        index = (int)s;
        if (index >= srcLength - 1)
        {
            index = srcLength - 1;
            weight = 0;
            return;
        }

        weight = s - index;
    }

    private static void ResizeRow(ReadOnlySpan<byte> srcRow, int[] offsets, float[] weights, float[] planar, int width)
    {
        ref var s = ref MemoryMarshal.GetReference(srcRow);
        var last = srcRow.Length - 3;
        var b = planar.AsSpan(0, width);
        var g = planar.AsSpan(width, width);
        var r = planar.AsSpan(2 * width, width);
        for (var x = 0; x < width; x++)
        {
            var o = offsets[x];
            var fx = weights[x];
            var o1 = o < last ? o + 3 : o; // right edge: the weight is 0 there anyway
            float b0 = Unsafe.Add(ref s, o), g0 = Unsafe.Add(ref s, o + 1), r0 = Unsafe.Add(ref s, o + 2);
            b[x] = b0 + ((Unsafe.Add(ref s, o1) - b0) * fx);
            g[x] = g0 + ((Unsafe.Add(ref s, o1 + 1) - g0) * fx);
            r[x] = r0 + ((Unsafe.Add(ref s, o1 + 2) - r0) * fx);
        }
    }

    private static void BlendRows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float fy, Span<float> dst)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(fy);
            for (; i <= dst.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var t = new Vector<float>(top[i..]);
                (t + ((new Vector<float>(bottom[i..]) - t) * w)).CopyTo(dst[i..]);
            }
        }

        for (; i < dst.Length; i++)
        {
            dst[i] = top[i] + ((bottom[i] - top[i]) * fy);
        }
    }
}
