namespace StreamingApp.Tests.Imaging;

public sealed class JpegScansTests
{
    [Fact]
    public void Count_BaselinePhoto_One()
    {
        var jpeg = File.ReadAllBytes(TestPaths.CocoImage("000000001532.jpg"));

        Assert.Equal(1, JpegScans.Count(jpeg));
    }

    [Fact]
    public void Count_ProgressivePhoto_TheEncodersTenScans()
    {
        using var decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        using var photo = decoder.Decode(File.ReadAllBytes(TestPaths.CocoImage("000000001532.jpg")));

        // libjpeg's standard progression for YCbCr: 10 scans.
        Assert.Equal(10, JpegScans.Count(ProgressiveJpeg.EncodePhoto(photo)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(137)]
    [InlineData(600)]
    public void Count_ScanBomb_EveryScan(int scans)
    {
        Assert.Equal(scans, JpegScans.Count(ProgressiveJpeg.ScanBomb(64, 48, scans)));
    }

    [Fact]
    public void Count_MarkerBytesInsideAHeaderSegment_AreNotScans()
    {
        // A comment segment (FF FE) whose payload is "FF DA" repeated: the walk skips it by its length.
        var photo = File.ReadAllBytes(TestPaths.CocoImage("000000001532.jpg"));
        byte[] comment = [0xFF, 0xFE, 0, 2 + 40, .. Enumerable.Repeat(new byte[] { 0xFF, 0xDA }, 20).SelectMany(b => b)];

        Assert.Equal(1, JpegScans.Count([.. photo[..2], .. comment, .. photo[2..]]));
    }
}
