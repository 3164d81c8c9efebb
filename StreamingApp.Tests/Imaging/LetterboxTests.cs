namespace StreamingApp.Tests.Imaging;

public sealed class LetterboxTests
{
    private static readonly ImageSize Input = new(416, 416);

    [Fact]
    public void Apply_LandscapeFrame_FillsTopLeftAndPadsBottomWith114()
    {
        using var frame = Solid(640, 480, 10, 20, 30);

        var (info, tensor) = Apply(frame);

        Assert.Equal(416, info.ContentWidth);
        Assert.Equal(312, info.ContentHeight);
        Assert.Equal(0.65f, info.Scale, 4);
        Assert.Equal(10f, tensor[0, 311, 415], 3);
        Assert.Equal(20f, tensor[1, 100, 200], 3);
        Assert.Equal(30f, tensor[2, 0, 0], 3);
        Assert.Equal(114f, tensor[0, 312, 0]);
        Assert.Equal(114f, tensor[2, 415, 415]);
    }

    [Fact]
    public void Apply_PortraitFrame_PadsRightWith114()
    {
        using var frame = Solid(240, 480, 200, 100, 50);

        var (info, tensor) = Apply(frame);

        Assert.Equal((208, 416), (info.ContentWidth, info.ContentHeight));
        Assert.Equal(50f, tensor[2, 415, 207], 3);
        Assert.Equal(114f, tensor[2, 415, 208]);
        Assert.Equal(114f, tensor[0, 0, 208]);
    }

    [Fact]
    public void Apply_HorizontalGradient_InterpolatesBilinearlyWithHalfPixelCentres()
    {
        // Source 832 wide -> 416 wide: scale 2, so dst x samples src x = 2x + 0.5, between columns 2x and 2x+1.
        using var frame = HorizontalGradient(832, 10);

        var (_, tensor) = Apply(frame);

        Assert.Equal(10.5f, tensor[0, 0, 5], 3); // columns 10 and 11
        Assert.Equal(100.5f, tensor[0, 0, 50], 3); // columns 100 and 101
    }

    [Fact]
    public void Apply_SinglePixelFrame_FillsTheWholeInputWithItsColour()
    {
        using var frame = Solid(1, 1, 7, 8, 9);

        var (info, tensor) = Apply(frame);

        Assert.Equal((416, 416), (info.ContentWidth, info.ContentHeight));
        Assert.All(tensor.Plane(0), v => Assert.Equal(7f, v));
        Assert.All(tensor.Plane(2), v => Assert.Equal(9f, v));
    }

    [Fact]
    public void Apply_UpscaledGradient_EdgeColumnsTakeTheEdgePixels()
    {
        using var frame = HorizontalGradient(208, 208);

        var (_, tensor) = Apply(frame);

        Assert.Equal(0f, tensor[0, 0, 0], 3);
        Assert.Equal(207f, tensor[0, 0, 415], 3);
        Assert.Equal(207f, tensor[0, 415, 415], 3);
        Assert.Equal(100.25f, tensor[0, 0, 201], 3); // src x = 201.5 / 2 - 0.5 = 100.25
    }

    [Fact]
    public void Apply_DistinctChannelsOddContentWidth_EveryPixelMatchesBilinearReference()
    {
        // 301x500 -> 250x416 content: a width that is not a multiple of the 4-pixel vector step, and channels that
        // differ everywhere, so a channel swap or a wrong tail pixel shows.
        using var frame = Frame(301, 500, (x, y) => ((byte)((x * 7) + y), (byte)((x * 3) ^ y), (byte)(255 - ((x + (y * 5)) % 256))));
        var source = frame.Pixels.ToArray();

        var (info, tensor) = Apply(frame);

        Assert.Equal((250, 416), (info.ContentWidth, info.ContentHeight));
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < info.ContentHeight; y++)
            {
                for (var x = 0; x < info.ContentWidth; x++)
                {
                    var expected = ReferenceBilinear(source, 301, 500, c, (x + 0.5) * 301 / 250 - 0.5, (y + 0.5) * 500 / 416 - 0.5);
                    Assert.Equal(expected, tensor[c, y, x], 0.05); // float vs double coordinates
                }
            }
        }
    }

    [Fact]
    public void Apply_TensorTooSmall_Throws()
    {
        using var frame = Solid(64, 64, 1, 2, 3);

        Assert.Throws<ArgumentException>(() => Letterbox.Apply(frame, new float[100], Input));
    }

    /// <summary>The frame letterboxed into a fresh model input.</summary>
    private static (LetterboxInfo Info, PlanarTensor Tensor) Apply(BgrImage frame)
    {
        var values = new float[3 * Input.Width * Input.Height];
        var info = Letterbox.Apply(frame, values, Input);
        return (info, new PlanarTensor(values));
    }

    /// <summary>A frame whose pixel (x, y) has the colour <paramref name="colour"/> gives it.</summary>
    private static BgrImage Frame(int width, int height, Func<int, int, (byte B, byte G, byte R)> colour)
    {
        var image = BgrImage.Rent(width, height);
        var pixels = image.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = colour(x, y);
            }
        }

        return image;
    }

    private static BgrImage Solid(int width, int height, byte b, byte g, byte r) => Frame(width, height, (_, _) => (b, g, r));

    /// <summary>Grey, each column as bright as its index (modulo 256).</summary>
    private static BgrImage HorizontalGradient(int width, int height) => Frame(width, height, (x, _) => ((byte)x, (byte)x, (byte)x));

    /// <summary>OpenCV INTER_LINEAR on one channel at a source coordinate, edges clamped; in doubles, independent of Letterbox.</summary>
    private static double ReferenceBilinear(byte[] pixels, int width, int height, int channel, double sx, double sy)
    {
        sx = Math.Clamp(sx, 0, width - 1);
        sy = Math.Clamp(sy, 0, height - 1);
        int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        double fx = sx - x0, fy = sy - y0;
        double At(int x, int y) => pixels[(((y * width) + x) * 3) + channel];
        var top = At(x0, y0) + ((At(x1, y0) - At(x0, y0)) * fx);
        var bottom = At(x0, y1) + ((At(x1, y1) - At(x0, y1)) * fx);
        return top + ((bottom - top) * fy);
    }

    /// <summary>The model input as Letterbox writes it: planar B, G, R, raw 0-255 values, each plane row by row.</summary>
    private sealed class PlanarTensor(float[] values)
    {
        public float this[int channel, int y, int x] => values[(((channel * Input.Height) + y) * Input.Width) + x];

        public float[] Plane(int channel) => values.AsSpan(channel * Input.Width * Input.Height, Input.Width * Input.Height).ToArray();
    }
}
