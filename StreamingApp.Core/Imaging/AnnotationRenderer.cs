using System.Globalization;
using SkiaSharp;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// Draws a pipeline's result onto its frame at the frame's own size — a box per detection captioned "label NN%",
/// a box per line of text captioned with what was read — and encodes the picture as a JPEG. Shared by
/// <c>analyze --annotate</c> and the job frame snapshots. Thread-safe.
/// </summary>
public static class AnnotationRenderer
{
    public const int JpegQuality = 90;

    /// <summary>Debian's fonts-dejavu-core; without it SkiaSharp's default typeface (which may have no glyphs).</summary>
    private const string FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    private static readonly SKTypeface Typeface = (File.Exists(FontPath) ? SKTypeface.FromFile(FontPath) : null) ?? SKTypeface.Default;

    private static readonly SKColor[] Palette =
    [
        new(0xE6, 0x19, 0x4B), new(0x3C, 0xB4, 0x4B), new(0x43, 0x63, 0xD8), new(0xF5, 0x82, 0x31),
        new(0x91, 0x1E, 0xB4), new(0x46, 0xF0, 0xF0), new(0xF0, 0x32, 0xE6), new(0xBC, 0xF6, 0x0C),
    ];

    private static readonly SKColor TextBoxColor = new(0xFF, 0x8C, 0x00);

    /// <summary>The frame with <paramref name="result"/> drawn on it, as JPEG bytes of the same width and height.</summary>
    public static byte[] RenderJpeg(BgrImage frame, FrameResult result)
    {
        using var bitmap = ToBitmap(frame);
        using (var canvas = new SKCanvas(bitmap))
        {
            // Line width and font size grow with the picture, so captions read alike on a phone frame and on 4K.
            var shortSide = Math.Min(frame.Width, frame.Height);
            using var font = new SKFont(Typeface, Math.Max(12f, shortSide / 36f));
            var painter = new Painter(canvas, font, Math.Max(2f, shortSide / 240f), frame.Width, frame.Height);
            foreach (var d in result.Detections)
            {
                painter.Box(d.X, d.Y, d.W, d.H, ColorFor(d.Label), string.Create(CultureInfo.InvariantCulture, $"{d.Label} {d.Score * 100:0}%"));
            }

            foreach (var t in result.Texts ?? [])
            {
                painter.Box(t.X, t.Y, t.W, t.H, TextBoxColor, t.Text);
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return data.ToArray();
    }

    private sealed class Painter(SKCanvas canvas, SKFont font, float lineWidth, int width, int height)
    {
        private readonly float _padding = font.Size / 4;

        /// <summary>A box in normalized coordinates, its caption on a filled band above it (inside its top when the box
        /// touches the picture's top), kept within the picture.</summary>
        public void Box(float x, float y, float w, float h, SKColor color, string caption)
        {
            var box = SKRect.Create(x * width, y * height, w * width, h * height);
            using var stroke = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = lineWidth, IsAntialias = true };
            canvas.DrawRect(box, stroke);

            var metrics = font.Metrics;
            var bandHeight = metrics.Descent - metrics.Ascent + (2 * _padding);
            var bandWidth = font.MeasureText(caption) + (2 * _padding);
            var left = Math.Clamp(box.Left, 0, Math.Max(0, width - bandWidth));
            var top = box.Top - bandHeight >= 0 ? box.Top - bandHeight : Math.Max(0, box.Top);
            using var fill = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
            canvas.DrawRect(SKRect.Create(left, top, bandWidth, bandHeight), fill);
            using var ink = new SKPaint { Color = Contrasting(color), IsAntialias = true };
            canvas.DrawText(caption, left + _padding, top + _padding - metrics.Ascent, SKTextAlign.Left, font, ink);
        }
    }

    /// <summary>One colour per label, the same in every picture.</summary>
    private static SKColor ColorFor(string label)
    {
        var hash = 0u;
        foreach (var c in label)
        {
            hash = (hash * 31) + c;
        }

        return Palette[hash % (uint)Palette.Length];
    }

    private static SKColor Contrasting(SKColor background) =>
        (0.299 * background.Red) + (0.587 * background.Green) + (0.114 * background.Blue) > 150 ? SKColors.Black : SKColors.White;

    /// <summary>BGR (3 bytes a pixel) into Skia's BGRA (4), opaque.</summary>
    private static SKBitmap ToBitmap(BgrImage frame)
    {
        var bitmap = new SKBitmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        var source = frame.Pixels;
        var target = bitmap.GetPixelSpan();
        for (int s = 0, t = 0; s < source.Length; s += 3, t += 4)
        {
            target[t] = source[s];
            target[t + 1] = source[s + 1];
            target[t + 2] = source[s + 2];
            target[t + 3] = 0xFF;
        }

        return bitmap;
    }
}
