using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Inference.Ocr;

/// <summary>A line drawn by ffmpeg drawtext: <see cref="X"/>, <see cref="Y"/> are the top-left of the text in pixels.</summary>
public sealed record TextLine(string Text, int X, int Y, int FontSize);

/// <param name="Shapes">Optional ffmpeg filters drawn before the text (boxes that are not text).</param>
public sealed record TextImageSpec(
    string Name, int Width, int Height, string Background, string Foreground, IReadOnlyList<TextLine> Lines, string? Shapes = null);

/// <summary>
/// Text images with known truth, drawn by real ffmpeg with DejaVu Sans and encoded as JPEG (the frame path).
/// Shared by the OCR tests and OcrBenchmarks (linked into the benchmarks project), so both use the same images.
/// </summary>
public static class OcrTextImages
{
    public const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public static TextImageSpec BlackOnWhite { get; } = new("black-on-white", 640, 480, "white", "black",
    [
        new("EXIT 42", 40, 40, 56),
        new("Hello World 2026", 40, 140, 44),
        new("The quick brown fox jumps", 40, 230, 36),
        new("over 13 lazy dogs", 40, 310, 36),
        new("Call 555 0199 now", 40, 390, 32),
    ]);

    public static TextImageSpec WhiteOnDark { get; } = new("white-on-dark", 640, 480, "0x1e1e28", "white",
    [
        new("OPEN 24 HOURS", 60, 50, 52),
        new("Platform 7 to Berlin", 60, 150, 40),
        new("Gate B12 closes in 15 min", 40, 250, 32),
        new("Room 101 is on the left", 40, 340, 32),
    ]);

    /// <summary>Larger than the detector's 960 limit and not a multiple of 32: exercises the resize path.</summary>
    public static TextImageSpec LargeFrame { get; } = new("large-frame", 1280, 720, "0xf0f0f0", "0x202020",
    [
        new("Speed limit 60", 100, 120, 80),
        new("Next exit 3 km", 100, 400, 64),
    ]);

    /// <summary>Solid shapes on grey and no text at all.</summary>
    public static TextImageSpec NoText { get; } = new("no-text", 640, 480, "0x808080", "black", [],
        "drawbox=x=100:y=100:w=200:h=120:color=0x3060c0:t=fill,drawbox=x=380:y=260:w=160:h=160:color=0xc04030:t=fill");

    /// <summary>The 640×480 images the OCR target is measured on.</summary>
    public static IReadOnlyList<TextImageSpec> Benchmark { get; } = [BlackOnWhite, WhiteOnDark];

    public static byte[] EncodeJpeg(TextImageSpec spec) => Ffmpeg.EncodeJpeg(LavfiSource(spec, $"color=c={spec.Background}:s={spec.Width}x{spec.Height}"));

    /// <summary>The spec as an H.264 MP4 of <paramref name="seconds"/> one-second frames, written to <paramref name="path"/>.</summary>
    public static void EncodeClip(TextImageSpec spec, string path, int seconds)
    {
        var source = LavfiSource(spec, $"color=c={spec.Background}:s={spec.Width}x{spec.Height}:r=1:d={seconds}");
        Ffmpeg.Run($"-v error -f lavfi -i \"{source}\" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p \"{path}\"");
    }

    /// <summary>The spec's lines (and shapes) drawn over an existing image, e.g. a photo, as a JPEG.</summary>
    public static byte[] DrawOnto(string imagePath, TextImageSpec spec) => Ffmpeg.EncodeJpeg(LavfiSource(spec, $"movie='{imagePath}'"));

    private static string LavfiSource(TextImageSpec spec, string source)
    {
        var filters = new List<string>(spec.Lines.Count + 2) { source };
        if (spec.Shapes is not null)
        {
            filters.Add(spec.Shapes);
        }

        foreach (var line in spec.Lines)
        {
            filters.Add($"drawtext=fontfile={FontFile}:text='{line.Text}':x={line.X}:y={line.Y}:fontsize={line.FontSize}:fontcolor={spec.Foreground}");
        }

        return string.Join(',', filters);
    }
}
