namespace StreamingApp.Tests.Streaming;

public sealed class FrameValidatorTests
{
    [Fact]
    public void Check_RealJpeg_IsValid()
    {
        var jpeg = File.ReadAllBytes(TestSupport.TestPaths.CocoImage("000000000285.jpg"));

        Assert.Equal(FrameCheck.Valid, FrameValidator.Check(jpeg, jpeg.Length));
    }

    [Theory]
    [InlineData(new byte[0], FrameCheck.Empty)]
    [InlineData(new byte[] { 0xFF }, FrameCheck.MissingStartOfImage)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0xFF, 0xD9 }, FrameCheck.MissingStartOfImage)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00 }, FrameCheck.MissingEndOfImage)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xD9 }, FrameCheck.MissingEndOfImage)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, FrameCheck.Valid)]
    public void Check_Markers_Classified(byte[] frame, FrameCheck expected)
    {
        Assert.Equal(expected, FrameValidator.Check(frame, 1024));
    }

    [Fact]
    public void Check_OneByteOverTheLimit_IsTooLarge()
    {
        var frame = new byte[101];
        frame[0] = 0xFF;
        frame[1] = 0xD8;
        frame[^2] = 0xFF;
        frame[^1] = 0xD9;

        Assert.Equal(FrameCheck.TooLarge, FrameValidator.Check(frame, 100));
        Assert.Equal(FrameCheck.Valid, FrameValidator.Check(frame, 101));
    }
}
