namespace StreamingApp.Core.Imaging;

/// <summary>Limits for decoding untrusted images (configuration section <c>Imaging</c>).</summary>
public sealed class ImagingOptions
{
    public const string Section = "Imaging";

    /// <summary>Largest width × height accepted, checked from the JPEG header before any pixel buffer is allocated.</summary>
    public long MaxPixels { get; set; } = 4096L * 4096L;

    /// <summary>
    /// Largest scans × width × height, checked before decoding: a progressive decoder walks the whole picture once per
    /// scan. The default (4 × 4096 × 4096) admits any baseline frame up to <see cref="MaxPixels"/> and a 10-scan
    /// progressive one up to 6.7 megapixels, and bounds the worst case to about what a 4096×4096 baseline frame costs.
    /// </summary>
    public long MaxScanPixels { get; set; } = 4L * 4096L * 4096L;
}
