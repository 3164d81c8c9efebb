namespace StreamingApp.Core.Imaging;

/// <summary>Limits for decoding untrusted images (configuration section <c>Imaging</c>).</summary>
public sealed class ImagingOptions
{
    public const string Section = "Imaging";

    /// <summary>Largest width × height accepted, checked from the JPEG header before any pixel buffer is allocated.</summary>
    public long MaxPixels { get; set; } = 4096L * 4096L;
}
