namespace StreamingApp.Core.Streaming;

public enum FrameCheck
{
    Valid,
    Empty,
    MissingStartOfImage,
    MissingEndOfImage,
    TooLarge,
}

/// <summary>
/// Cheap checks on a received frame before any decode: size within the limit, JPEG start-of-image
/// (<c>FF D8</c>) first and end-of-image (<c>FF D9</c>) last. Whether it decodes is the decoder's call
/// (its <see cref="Imaging.ImageDecodeException"/> also becomes <c>invalid_frame</c>).
/// </summary>
public static class FrameValidator
{
    public static FrameCheck Check(ReadOnlySpan<byte> frame, int maxBytes)
    {
        if (frame.Length > maxBytes)
        {
            return FrameCheck.TooLarge;
        }

        if (frame.IsEmpty)
        {
            return FrameCheck.Empty;
        }

        if (frame.Length < 2 || frame[0] != 0xFF || frame[1] != 0xD8)
        {
            return FrameCheck.MissingStartOfImage;
        }

        if (frame.Length < 4 || frame[^2] != 0xFF || frame[^1] != 0xD9)
        {
            return FrameCheck.MissingEndOfImage;
        }

        return FrameCheck.Valid;
    }

    public static string Describe(FrameCheck check, int maxBytes) => check switch
    {
        FrameCheck.Valid => "valid",
        FrameCheck.Empty => "The frame is empty.",
        FrameCheck.MissingStartOfImage => "The frame does not start with the JPEG start-of-image marker FF D8.",
        FrameCheck.MissingEndOfImage => "The frame does not end with the JPEG end-of-image marker FF D9.",
        FrameCheck.TooLarge => $"The frame is larger than {maxBytes} bytes.",
        _ => throw new ArgumentOutOfRangeException(nameof(check)),
    };
}
