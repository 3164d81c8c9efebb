namespace StreamingApp.Tests.Streaming;

/// <summary>
/// A decoder whose outcome the frame's third byte chooses (Moq cannot set up span parameters):
/// 0x00 → <see cref="ImageDecodeException"/> (corrupt), 0x01 → a bug, anything else → an 8×8 image.
/// </summary>
internal sealed class ScriptedJpegDecoder : IJpegDecoder
{
    public BgrImage Decode(ReadOnlySpan<byte> jpeg) => jpeg[2] switch
    {
        0x00 => throw new ImageDecodeException(ImageDecodeError.Corrupt, "Corrupt JPEG data: premature end of data segment"),
        0x01 => throw new InvalidOperationException("decoder bug"),
        _ => BgrImage.Rent(8, 8),
    };
}
