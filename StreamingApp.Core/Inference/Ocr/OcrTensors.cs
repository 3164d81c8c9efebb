using System.Buffers;
using System.Numerics;
using StreamingApp.Core.Imaging;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// Writes frames into the two models' NCHW float inputs. Both PP-OCRv4 models were trained on OpenCV's BGR
/// images, so channel 0 is blue; no colour swap is needed.
/// </summary>
internal static class OcrTensors
{
    public const int LineHeight = 48;

    // PaddleOCR's det NormalizeImage: ImageNet mean/std, applied in the order of the BGR image it is given.
    private static readonly Vector3 DetScale = new(1f / (255f * 0.229f), 1f / (255f * 0.224f), 1f / (255f * 0.225f));
    private static readonly Vector3 DetOffset = new(-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f);

    /// <summary>Detector input size: long side at most <paramref name="maxSide"/>, each side rounded to a multiple of 32.</summary>
    public static (int Width, int Height) DetectionSize(int width, int height, int maxSide)
    {
        var ratio = Math.Max(width, height) > maxSide ? (float)maxSide / Math.Max(width, height) : 1f;
        return (RoundTo32(width * ratio), RoundTo32(height * ratio));

        static int RoundTo32(float side) => Math.Max(32, (int)MathF.Round(side / 32) * 32);
    }

    /// <summary>Resizes (bilinear, only when the size differs) and normalizes the frame into a [1,3,h,w] tensor.</summary>
    public static void FillDetectionInput(BgrImage frame, int width, int height, Span<float> tensor)
    {
        if (width == frame.Width && height == frame.Height)
        {
            Normalize(frame, tensor);
        }
        else
        {
            ResizeAndNormalize(frame, width, height, tensor);
        }
    }

    private static void Normalize(BgrImage frame, Span<float> tensor)
    {
        var plane = frame.Width * frame.Height;
        var blue = tensor[..plane];
        var green = tensor.Slice(plane, plane);
        var red = tensor.Slice(2 * plane, plane);
        ReadOnlySpan<byte> pixels = frame.Pixels;
        for (int i = 0, p = 0; i < plane; i++, p += 3)
        {
            blue[i] = (pixels[p] * DetScale.X) + DetOffset.X;
            green[i] = (pixels[p + 1] * DetScale.Y) + DetOffset.Y;
            red[i] = (pixels[p + 2] * DetScale.Z) + DetOffset.Z;
        }
    }

    private static void ResizeAndNormalize(BgrImage frame, int width, int height, Span<float> tensor)
    {
        var plane = width * height;
        var blue = tensor[..plane];
        var green = tensor.Slice(plane, plane);
        var red = tensor.Slice(2 * plane, plane);
        ReadOnlySpan<byte> pixels = frame.Pixels;

        // Horizontal taps are the same for every row: compute them once.
        var columns = ArrayPool<int>.Shared.Rent(width);
        var weights = ArrayPool<float>.Shared.Rent(width);
        try
        {
            var sx = (float)frame.Width / width;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Clamp(((x + 0.5f) * sx) - 0.5f, 0, frame.Width - 1);
                columns[x] = (int)fx;
                weights[x] = fx - columns[x];
            }

            var sy = (float)frame.Height / height;
            var stride = frame.Stride;
            var lastColumn = frame.Width - 1;
            for (var y = 0; y < height; y++)
            {
                var fy = Math.Clamp(((y + 0.5f) * sy) - 0.5f, 0, frame.Height - 1);
                var y0 = (int)fy;
                var y1 = Math.Min(y0 + 1, frame.Height - 1);
                var wy = fy - y0;
                var row0 = pixels.Slice(y0 * stride, stride);
                var row1 = pixels.Slice(y1 * stride, stride);
                var o = y * width;
                for (var x = 0; x < width; x++)
                {
                    var p = columns[x] * 3;
                    var wx = weights[x];
                    var nextColumn = columns[x] < lastColumn ? 3 : 0;
                    blue[o + x] = (Lerp2(row0, row1, p, nextColumn, wx, wy) * DetScale.X) + DetOffset.X;
                    green[o + x] = (Lerp2(row0, row1, p + 1, nextColumn, wx, wy) * DetScale.Y) + DetOffset.Y;
                    red[o + x] = (Lerp2(row0, row1, p + 2, nextColumn, wx, wy) * DetScale.Z) + DetOffset.Z;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
            ArrayPool<float>.Shared.Return(weights);
        }
    }

    /// <summary>Recognizer input width for a line: height 48, aspect kept, capped.</summary>
    public static int LineWidth(in TextQuad line, int maxWidth) =>
        Math.Clamp((int)MathF.Ceiling(LineHeight * line.Width / MathF.Max(line.Height, 1)), 1, maxWidth);

    /// <summary>
    /// Samples the quad (bilinear, edge pixels replicated) straight into columns <paramref name="offset"/> onwards
    /// of one [3,48,batchWidth] row of the recognizer batch: crop, rotation and resize in one pass with no
    /// intermediate image. Values are (v / 255 − 0.5) / 0.5, BGR.
    /// </summary>
    public static void SampleLine(BgrImage frame, in TextQuad line, int lineWidth, int batchWidth, int offset, Span<float> row)
    {
        ReadOnlySpan<byte> pixels = frame.Pixels;
        var plane = LineHeight * batchWidth;
        var maxX = frame.Width - 1;
        var maxY = frame.Height - 1;
        var stride = frame.Stride;
        for (var v = 0; v < LineHeight; v++)
        {
            var t = (v + 0.5f) / LineHeight;
            var left = Vector2.Lerp(line.TopLeft, line.BottomLeft, t) - new Vector2(0.5f);
            var right = Vector2.Lerp(line.TopRight, line.BottomRight, t) - new Vector2(0.5f);
            var step = (right - left) / lineWidth;
            var point = left + (step * 0.5f);
            var o = (v * batchWidth) + offset;
            for (var u = 0; u < lineWidth; u++, point += step)
            {
                var fx = Math.Clamp(point.X, 0, maxX);
                var fy = Math.Clamp(point.Y, 0, maxY);
                var x0 = (int)fx;
                var y0 = (int)fy;
                var wx = fx - x0;
                var wy = fy - y0;
                var dx = x0 < maxX ? 3 : 0;
                var row0 = pixels.Slice(y0 * stride, stride);
                var row1 = pixels.Slice((y0 < maxY ? y0 + 1 : y0) * stride, stride);
                var p = x0 * 3;
                row[o + u] = (Lerp2(row0, row1, p, dx, wx, wy) / 127.5f) - 1f;
                row[plane + o + u] = (Lerp2(row0, row1, p + 1, dx, wx, wy) / 127.5f) - 1f;
                row[(2 * plane) + o + u] = (Lerp2(row0, row1, p + 2, dx, wx, wy) / 127.5f) - 1f;
            }
        }
    }

    private static float Lerp2(ReadOnlySpan<byte> row0, ReadOnlySpan<byte> row1, int p, int dx, float wx, float wy)
    {
        var top = row0[p] + ((row0[p + dx] - row0[p]) * wx);
        var bottom = row1[p] + ((row1[p + dx] - row1[p]) * wx);
        return top + ((bottom - top) * wy);
    }
}
