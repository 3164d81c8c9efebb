namespace StreamingApp.Core.Imaging;

/// <summary>A width and height in pixels. <see cref="Full"/> (0×0) means "no size preference".</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public static ImageSize Full => default;

    public bool IsFull => Width <= 0 || Height <= 0;

    /// <summary>The size that satisfies both preferences: full wins, otherwise the larger box.</summary>
    public static ImageSize Max(ImageSize a, ImageSize b) =>
        a.IsFull || b.IsFull ? Full : new ImageSize(Math.Max(a.Width, b.Width), Math.Max(a.Height, b.Height));
}
