namespace StreamingApp.Core.Imaging;

public enum ImageDecodeError
{
    /// <summary>The bytes do not start like a JPEG.</summary>
    NotJpeg,

    /// <summary>The decoder reported an error or a warning (corrupt data, premature end).</summary>
    Corrupt,

    /// <summary>The header declares more pixels than the configured limit; nothing was allocated.</summary>
    TooLarge,

    /// <summary>A progressive JPEG whose scans × pixels exceed the configured limit (a "scan bomb"); nothing was decoded.</summary>
    TooManyScans,
}

/// <summary>A frame that cannot become an image. <see cref="Error"/> says why, the message says what was seen.</summary>
public sealed class ImageDecodeException(ImageDecodeError error, string message) : Exception(message)
{
    public ImageDecodeError Error { get; } = error;
}
