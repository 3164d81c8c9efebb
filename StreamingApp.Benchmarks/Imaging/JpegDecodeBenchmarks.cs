using Microsoft.Extensions.Options;
using SkiaSharp;

namespace StreamingApp.Benchmarks.Imaging;

/// <summary>
/// The two JPEG decoders the app has, on the same 640×480 camera frame, in one run: TurboJPEG (the live hot path's
/// <see cref="IJpegDecoder"/>, into a pooled BGR buffer) and SkiaSharp's <see cref="SKCodec"/> (into a reused BGRA
/// bitmap — Skia has no 24-bit format, so the pipeline would still owe a BGRA→BGR pass, not counted here).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class JpegDecodeBenchmarks
{
    private byte[] _jpeg = null!;
    private TurboJpegDecoder _turbo = null!;
    private SKBitmap _bitmap = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = CameraFrame.Jpeg();
        _turbo = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        _bitmap = new SKBitmap(new SKImageInfo(640, 480, SKColorType.Bgra8888, SKAlphaType.Opaque));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _turbo.Dispose();
        _bitmap.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int TurboJpeg()
    {
        using var frame = _turbo.Decode(_jpeg);
        return frame.Width;
    }

    /// <summary>Each frame arrives as new bytes, so the codec is made per frame, as it would be on the hot path.</summary>
    [Benchmark]
    public int SkiaCodec()
    {
        using var data = SKData.CreateCopy(_jpeg);
        using var codec = SKCodec.Create(data);
        var result = codec.GetPixels(_bitmap.Info, _bitmap.GetPixels());
        return result == SKCodecResult.Success ? codec.Info.Width : throw new InvalidOperationException(result.ToString());
    }
}
