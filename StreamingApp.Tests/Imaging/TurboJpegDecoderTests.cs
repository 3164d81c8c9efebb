namespace StreamingApp.Tests.Imaging;

public sealed class TurboJpegDecoderTests : IDisposable
{
    private readonly TurboJpegDecoder _decoder = new(Options.Create(new ImagingOptions()));

    public void Dispose() => _decoder.Dispose();

    private static byte[] Photo(string name = "000000001532.jpg") => File.ReadAllBytes(TestPaths.CocoImage(name));

    [Fact]
    public void Decode_CocoPhoto_ReturnsFullSizeBgrWithSensiblePixels()
    {
        var jpeg = Photo("000000002431.jpg");

        using var image = _decoder.Decode(jpeg);

        Assert.Equal(457, image.Width);
        Assert.Equal(640, image.Height);
        Assert.Equal(457 * 3, image.Stride);
        // A real photo: many distinct values and a mean well away from black or white.
        var pixels = image.Pixels;
        long sum = 0;
        var seen = new bool[256];
        foreach (var p in pixels)
        {
            sum += p;
            seen[p] = true;
        }

        var mean = (double)sum / pixels.Length;
        Assert.InRange(mean, 40, 215);
        Assert.True(seen.Count(s => s) > 200);
    }

    [Fact]
    public void Decode_RedJpeg_ReturnsBgrOrder()
    {
        var jpeg = Ffmpeg.EncodeJpeg("color=c=red:s=64x48");

        using var image = _decoder.Decode(jpeg);

        var px = image.Pixels.Slice((24 * 64 + 32) * 3, 3);
        Assert.True(px[0] < 40, $"blue {px[0]}");
        Assert.True(px[1] < 40, $"green {px[1]}");
        Assert.True(px[2] > 200, $"red {px[2]}");
    }

    [Fact]
    public void Decode_LargeFrameWithFitBox_DecodesAtHalfScaleThatStillCoversTheBox()
    {
        var jpeg = Ffmpeg.ConvertJpeg(TestPaths.CocoImage("000000001532.jpg"), "scale=1280:720");

        using var scaled = _decoder.Decode(jpeg, new ImageSize(416, 416));
        using var full = _decoder.Decode(jpeg, ImageSize.Full);

        // 416/1280 = 0.325: 1/2 covers it, 1/4 (320x180) would upscale.
        Assert.Equal((640, 360), (scaled.Width, scaled.Height));
        Assert.Equal((1280, 720), (full.Width, full.Height));
    }

    [Fact]
    public void Decode_VgaFrameWithModelFitBox_DecodesAtFullSize()
    {
        var jpeg = Photo("000000001532.jpg"); // 640x480

        using var image = _decoder.Decode(jpeg, new ImageSize(416, 416));

        // 416/640 = 0.65 needs 3/4, which libjpeg-turbo decodes slower than 1/1 (no SIMD IDCT): full size.
        Assert.Equal((640, 480), (image.Width, image.Height));
    }

    [Fact]
    public void Decode_NotJpeg_ThrowsNotJpeg()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 };

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(png));

        Assert.Equal(ImageDecodeError.NotJpeg, ex.Error);
    }

    [Fact]
    public void Decode_Empty_ThrowsNotJpeg()
    {
        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ReadOnlySpan<byte>.Empty));

        Assert.Equal(ImageDecodeError.NotJpeg, ex.Error);
    }

    [Fact]
    public void Decode_Truncated_ThrowsCorrupt()
    {
        var jpeg = Photo();
        var cut = jpeg.AsSpan(0, jpeg.Length * 2 / 3).ToArray();

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(cut));

        Assert.Equal(ImageDecodeError.Corrupt, ex.Error);
    }

    [Fact]
    public void Decode_HeaderOnlyGarbage_ThrowsCorrupt()
    {
        var garbage = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x12, 0x34, 0x56, 0xFF, 0xD9 };

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(garbage));

        Assert.Equal(ImageDecodeError.Corrupt, ex.Error);
    }

    [Fact]
    public void Decode_BitFlippedScanData_ThrowsCorrupt()
    {
        var jpeg = Photo();
        // Invert a run of entropy-coded bytes in the middle of the scan: the Huffman decoder then meets
        // invalid codes and stray markers, which libjpeg reports as a warning ("Corrupt JPEG data").
        var start = jpeg.Length / 2;
        for (var i = start; i < start + 64; i++)
        {
            jpeg[i] ^= 0xFF;
        }

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg));

        Assert.Equal(ImageDecodeError.Corrupt, ex.Error);
    }

    [Fact]
    public void Decode_HeaderDeclaresOverLimitSize_ThrowsTooLargeBeforeDecoding()
    {
        var jpeg = Photo();
        var sof = FindSof(jpeg);
        // SOF payload: length(2) precision(1) height(2) width(2).
        WriteUInt16BigEndian(jpeg, sof + 5, 20000);
        WriteUInt16BigEndian(jpeg, sof + 7, 20000);

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg));

        Assert.Equal(ImageDecodeError.TooLarge, ex.Error);
        Assert.Contains("20000x20000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OverConfiguredLimit_ThrowsTooLarge()
    {
        using var small = new TurboJpegDecoder(Options.Create(new ImagingOptions { MaxPixels = 100 * 100 }));

        var ex = Assert.Throws<ImageDecodeException>(() => small.Decode(Photo()));

        Assert.Equal(ImageDecodeError.TooLarge, ex.Error);
    }

    [Fact]
    public void Decode_ProgressivePhoto_DecodesLikeTheBaselineOne()
    {
        using var baseline = _decoder.Decode(Photo());
        var progressive = ProgressiveJpeg.EncodePhoto(baseline);

        using var image = _decoder.Decode(progressive);

        Assert.Equal((baseline.Width, baseline.Height), (image.Width, image.Height));
        Assert.InRange(MeanAbsoluteDifference(baseline, image), 0, 4);
    }

    [Fact]
    public void Decode_ValidProgressionBelowTheScanLimit_Decodes()
    {
        // The bomb's format is valid: 400 scans decode (to flat grey), so the next test fails on the count alone.
        var jpeg = ProgressiveJpeg.ScanBomb(256, 256, scans: 400);

        using var image = _decoder.Decode(jpeg);

        Assert.Equal((256, 256), (image.Width, image.Height));
        Assert.All(image.Pixels.ToArray(), p => Assert.Equal(128, p));
    }

    [Theory]
    // Over the 500-scan limit: corrupt, at that count.
    [InlineData(256, 256, 600, ImageDecodeError.Corrupt, "500 scans")]
    // 20 scans of 2048x2048 = 84 M scan pixels, over the default 67 M: a bomb of 22 KB that would take seconds, refused
    // before decoding.
    [InlineData(2048, 2048, 20, ImageDecodeError.TooManyScans, "20 scans of 2048x2048")]
    public void Decode_ValidProgressionOverAScanLimit_ThrowsNamingTheLimit(int width, int height, int scans, ImageDecodeError error, string limit)
    {
        var jpeg = ProgressiveJpeg.ScanBomb(width, height, scans);

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(jpeg));

        Assert.Equal(error, ex.Error);
        Assert.Contains(limit, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ScanLimitConfiguredLow_RefusesAProgressivePhotoButNotABaselineOne()
    {
        using var strict = new TurboJpegDecoder(Options.Create(new ImagingOptions { MaxScanPixels = 5 * 640 * 480 }));
        using var photo = strict.Decode(Photo());

        var ex = Assert.Throws<ImageDecodeException>(() => strict.Decode(ProgressiveJpeg.EncodePhoto(photo)));

        Assert.Equal(ImageDecodeError.TooManyScans, ex.Error);
    }

    [Fact]
    public void Decode_ProgressivePhotoWithAScanRepeated_ThrowsCorrupt()
    {
        // 110 scans of 640x480 stay within the scan limit: libjpeg meets the invalid progression (a warning) and stops.
        using var photo = _decoder.Decode(Photo());
        var bomb = ProgressiveJpeg.WithRepeatedScan(ProgressiveJpeg.EncodePhoto(photo), copies: 100);

        var ex = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bomb));

        Assert.Equal(ImageDecodeError.Corrupt, ex.Error);
    }

    [Fact]
    public void Decode_ConcurrentCalls_AllSucceed()
    {
        var jpeg = Photo();

        var sizes = new (int, int)[16];
        Parallel.For(0, sizes.Length, i =>
        {
            using var image = _decoder.Decode(jpeg);
            sizes[i] = (image.Width, image.Height);
        });

        Assert.All(sizes, s => Assert.Equal((640, 480), s));
    }

    private static double MeanAbsoluteDifference(BgrImage a, BgrImage b)
    {
        long sum = 0;
        var x = a.Pixels;
        var y = b.Pixels;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Abs(x[i] - y[i]);
        }

        return (double)sum / x.Length;
    }

    private static int FindSof(byte[] jpeg)
    {
        for (var i = 2; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }

    private static void WriteUInt16BigEndian(byte[] buffer, int offset, int value)
    {
        buffer[offset] = (byte)(value >> 8);
        buffer[offset + 1] = (byte)value;
    }
}
