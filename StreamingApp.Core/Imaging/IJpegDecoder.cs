namespace StreamingApp.Core.Imaging;

/// <summary>Decodes one JPEG into a pooled BGR image. Thread-safe.</summary>
public interface IJpegDecoder
{
    /// <summary>Decodes <paramref name="jpeg"/>; the caller disposes the result.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a JPEG, are corrupt or truncated, or exceed the pixel limit.</exception>
    BgrImage Decode(ReadOnlySpan<byte> jpeg);
}
