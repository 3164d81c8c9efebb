namespace StreamingApp.Components.Stream;

/// <summary>A rectangle in displayed (CSS) pixels.</summary>
public readonly record struct PixelRect(double X, double Y, double W, double H)
{
    public double Right => X + W;

    public double Bottom => Y + H;

    public bool Overlaps(PixelRect other) =>
        X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;
}

/// <summary>One box of the overlay and its caption, both in displayed pixels.</summary>
public sealed record OverlayItem(string Kind, string? Label, string Caption, PixelRect Box, PixelRect CaptionBox);

/// <summary>
/// Where the overlay draws, in the displayed video's pixels: boxes scaled from the frame's normalized coordinates,
/// captions at a fixed, readable size whatever the video's size, and no caption covering another.
/// </summary>
public static class OverlayLayout
{
    public const double FontPx = 13;
    public const double CaptionHeight = 18;
    public const double CaptionPadding = 4;

    // Average advance of a DejaVu Sans Bold glyph at 13 px; the caption's text is fitted to its box (textLength).
    private const double GlyphWidth = 8;

    public static string Caption(Detection d) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Label} {Math.Round(d.Score * 100):0}%");

    public static double CaptionWidth(string text) => (text.Length * GlyphWidth) + (2 * CaptionPadding);

    /// <summary>Lays out a result on a display of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static IReadOnlyList<OverlayItem> Place(FrameResult result, double width, double height)
    {
        var items = new List<OverlayItem>(result.Detections.Count + (result.Texts?.Count ?? 0));
        var placed = new List<PixelRect>(items.Capacity);
        foreach (var d in result.Detections)
        {
            var box = Scale(d.X, d.Y, d.W, d.H, width, height);
            var caption = Caption(d);
            // Above the box's top-left corner; inside it when the box touches the top edge.
            var preferredY = box.Y >= CaptionHeight ? box.Y - CaptionHeight : box.Y;
            items.Add(new OverlayItem("detection", d.Label, caption, box, PlaceCaption(caption, box.X, preferredY, width, height, placed)));
        }

        foreach (var t in result.Texts ?? [])
        {
            var box = Scale(t.X, t.Y, t.W, t.H, width, height);
            // Below the text's box, which the text itself fills.
            var preferredY = box.Bottom + CaptionHeight <= height ? box.Bottom : box.Y - CaptionHeight;
            items.Add(new OverlayItem("text", null, t.Text, box, PlaceCaption(t.Text, box.X, preferredY, width, height, placed)));
        }

        return items;
    }

    public static PixelRect Scale(float x, float y, float w, float h, double width, double height) =>
        new(x * width, y * height, w * width, h * height);

    /// <summary>
    /// The first free spot for a caption: the preferred one, else stepping down a caption's height at a time, else
    /// stepping up; the preferred spot when the display is too full for any. Adds the result to <paramref name="placed"/>.
    /// </summary>
    private static PixelRect PlaceCaption(string text, double x, double preferredY, double width, double height, List<PixelRect> placed)
    {
        var w = Math.Min(CaptionWidth(text), width);
        var left = Math.Clamp(x, 0, Math.Max(0, width - w));
        var top = Math.Clamp(preferredY, 0, Math.Max(0, height - CaptionHeight));
        var chosen = new PixelRect(left, top, w, CaptionHeight);
        if (!IsFree(chosen, placed))
        {
            chosen = FirstFree(chosen, CaptionHeight, height, placed)
                ?? FirstFree(chosen, -CaptionHeight, height, placed)
                ?? chosen;
        }

        placed.Add(chosen);
        return chosen;
    }

    private static PixelRect? FirstFree(PixelRect start, double step, double height, List<PixelRect> placed)
    {
        for (var y = start.Y + step; y >= 0 && y + CaptionHeight <= height; y += step)
        {
            var candidate = start with { Y = y };
            if (IsFree(candidate, placed))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsFree(PixelRect candidate, List<PixelRect> placed)
    {
        foreach (var other in placed)
        {
            if (candidate.Overlaps(other))
            {
                return false;
            }
        }

        return true;
    }
}
