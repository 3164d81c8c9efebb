namespace StreamingApp.Core.Imaging;

/// <summary>Decodes one JPEG into a pooled BGR image. Thread-safe.</summary>
public interface IJpegDecoder
{
    /// <summary>Decodes <paramref name="jpeg"/>; the caller disposes the result.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a JPEG, are corrupt or truncated, or exceed the pixel limit.</exception>
    BgrImage Decode(ReadOnlySpan<byte> jpeg);

    /// <summary>
    /// Decodes <paramref name="jpeg"/>, possibly at a reduced size: the smallest size that can still be fitted
    /// (aspect kept) into <paramref name="fit"/> without upscaling, e.g. a pipeline's model input.
    /// Results normalized to the frame are unaffected. <see cref="ImageSize.Full"/> decodes at full size.
    /// </summary>
    /// <exception cref="ImageDecodeException">As <see cref="Decode(ReadOnlySpan{byte})"/>.</exception>
    BgrImage Decode(ReadOnlySpan<byte> jpeg, ImageSize fit) => Decode(jpeg);
}
