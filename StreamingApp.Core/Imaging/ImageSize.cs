namespace StreamingApp.Core.Imaging;

/// <summary>A width and height in pixels. <see cref="Full"/> (0×0) means "no size preference".</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public static ImageSize Full => default;

    public bool IsFull => Width <= 0 || Height <= 0;

    /// <summary>The size that satisfies both preferences: full wins, otherwise the larger box.</summary>
    public static ImageSize Max(ImageSize a, ImageSize b) =>
        a.IsFull || b.IsFull ? Full : new ImageSize(Math.Max(a.Width, b.Width), Math.Max(a.Height, b.Height));

    /// <summary>
    /// How far a <paramref name="width"/>×<paramref name="height"/> frame may be scaled down for a consumer that fits
    /// it (aspect kept) into this box: the factor at which the frame exactly fits it, or 1 when it already does (or
    /// for <see cref="Full"/>) — a frame is never scaled up. Every decoder that reduces frames applies this one rule
    /// (at the granularity it supports), so letterboxing the result into the box never upscales and results, being
    /// normalized to the frame, do not depend on which decoder made the frame.
    /// </summary>
    public double ReductionFor(int width, int height) =>
        IsFull ? 1.0 : Math.Min(1.0, Math.Min((double)Width / width, (double)Height / height));

    /// <summary>
    /// The frame size after <see cref="ReductionFor"/>, rounded up so it still covers the box: a 3840×2160 frame for a
    /// 416×416 box is 416×234.
    /// </summary>
    public ImageSize Reduce(int width, int height)
    {
        var scale = ReductionFor(width, height);
        return scale >= 1.0
            ? new ImageSize(width, height)
            : new ImageSize(Scaled(width, scale), Scaled(height, scale));

        // The epsilon keeps an exact product (416.0000001 from rounding) from growing by a pixel.
        static int Scaled(int side, double scale) => Math.Max(1, (int)Math.Ceiling((side * scale) - 1e-6));
    }
}
