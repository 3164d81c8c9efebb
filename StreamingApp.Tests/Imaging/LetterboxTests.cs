using StreamingApp.Core.Imaging;

namespace StreamingApp.Tests.Imaging;

public sealed class LetterboxTests
{
    private static readonly ImageSize Input = new(416, 416);

    private static BgrImage Solid(int width, int height, byte b, byte g, byte r)
    {
        var image = BgrImage.Rent(width, height);
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = b;
            pixels[i + 1] = g;
            pixels[i + 2] = r;
        }

        return image;
    }

    [Fact]
    public void Apply_LandscapeFrame_FillsTopLeftAndPadsBottomWith114()
    {
        using var frame = Solid(640, 480, 10, 20, 30);
        var tensor = new float[3 * 416 * 416];

        var info = Letterbox.Apply(frame, tensor, Input);

        Assert.Equal(416, info.ContentWidth);
        Assert.Equal(312, info.ContentHeight);
        Assert.Equal(0.65f, info.Scale, 4);
        const int plane = 416 * 416;
        // Planar BGR, raw 0-255 values.
        Assert.Equal(10f, tensor[(311 * 416) + 415], 3);
        Assert.Equal(20f, tensor[plane + (100 * 416) + 200], 3);
        Assert.Equal(30f, tensor[(2 * plane) + 0], 3);
        Assert.Equal(114f, tensor[(312 * 416) + 0]);
        Assert.Equal(114f, tensor[(2 * plane) + (415 * 416) + 415]);
    }

    [Fact]
    public void Apply_PortraitFrame_PadsRightWith114()
    {
        using var frame = Solid(240, 480, 200, 100, 50);
        var tensor = new float[3 * 416 * 416];

        var info = Letterbox.Apply(frame, tensor, Input);

        Assert.Equal((208, 416), (info.ContentWidth, info.ContentHeight));
        const int plane = 416 * 416;
        Assert.Equal(50f, tensor[(2 * plane) + (415 * 416) + 207], 3);
        Assert.Equal(114f, tensor[(2 * plane) + (415 * 416) + 208]);
        Assert.Equal(114f, tensor[208]);
    }

    [Fact]
    public void Apply_HorizontalGradient_InterpolatesBilinearlyWithHalfPixelCentres()
    {
        // Source 832 wide -> 416 wide: scale 2, so dst x samples src x = 2x + 0.5, between columns 2x and 2x+1.
        using var frame = BgrImage.Rent(832, 10);
        var pixels = frame.Pixels;
        for (var y = 0; y < 10; y++)
        {
            for (var x = 0; x < 832; x++)
            {
                var v = (byte)(x % 256);
                pixels[(y * 832 + x) * 3] = v;
                pixels[(y * 832 + x) * 3 + 1] = v;
                pixels[(y * 832 + x) * 3 + 2] = v;
            }
        }

        var tensor = new float[3 * 416 * 416];

        Letterbox.Apply(frame, tensor, Input);

        Assert.Equal(10.5f, tensor[5], 3); // columns 10 and 11
        Assert.Equal(100.5f, tensor[50], 3); // columns 100 and 101
    }

    [Fact]
    public void Apply_SinglePixelFrame_FillsTheWholeInputWithItsColour()
    {
        using var frame = Solid(1, 1, 7, 8, 9);
        var tensor = new float[3 * 416 * 416];

        var info = Letterbox.Apply(frame, tensor, Input);

        Assert.Equal((416, 416), (info.ContentWidth, info.ContentHeight));
        Assert.All(tensor.AsSpan(0, 416 * 416).ToArray(), v => Assert.Equal(7f, v));
        Assert.All(tensor.AsSpan(2 * 416 * 416).ToArray(), v => Assert.Equal(9f, v));
    }

    [Fact]
    public void Apply_UpscaledGradient_EdgeColumnsTakeTheEdgePixels()
    {
        using var frame = BgrImage.Rent(208, 208);
        var pixels = frame.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i / 3 % 208);
        }

        var tensor = new float[3 * 416 * 416];

        Letterbox.Apply(frame, tensor, Input);

        Assert.Equal(0f, tensor[0], 3);
        Assert.Equal(207f, tensor[415], 3);
        Assert.Equal(207f, tensor[(415 * 416) + 415], 3);
        Assert.Equal(100.25f, tensor[201], 3); // src x = 201.5 / 2 - 0.5 = 100.25
    }

    [Fact]
    public void Apply_TensorTooSmall_Throws()
    {
        using var frame = Solid(64, 64, 1, 2, 3);

        Assert.Throws<ArgumentException>(() => Letterbox.Apply(frame, new float[100], Input));
    }
}
