using StreamingApp.Tests.Streaming;

namespace StreamingApp.Tests.Imaging;

/// <summary>Found by the stream fuzz: a pooled TurboJPEG handle must not carry a failed decode into the next one.</summary>
public sealed class TurboJpegDecoderReuseTests
{
    [Fact]
    public void Decode_ValidPhotoAfterManyCorruptFrames_StillDecodes()
    {
        using var decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        var photo = File.ReadAllBytes(TestPaths.CocoImage("000000001584.jpg"));
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var kind = (MalformedFrames.Kind)(i % Enum.GetValues<MalformedFrames.Kind>().Length);
            try
            {
                decoder.Decode(MalformedFrames.Make(kind, photo, random)).Dispose();
            }
            catch (ImageDecodeException)
            {
                // expected for most of them
            }
        }

        for (var i = 0; i < 8; i++)
        {
            using var image = decoder.Decode(photo);
            Assert.Equal(612, image.Height);
        }
    }
}
