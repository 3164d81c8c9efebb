using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Tests.Inference.Ocr;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// The OCR target (docs/PERFORMANCE.md, "OCR"): PaddleOcr on the 640×480 text images, JPEG decode included
/// (TurboJPEG, as the frame path), against the peer @gutenye/ocr-node, whose <c>detect(path)</c> also decodes. Setup
/// writes the same JPEGs and their truth to <see cref="ImageDirectory"/> for peer/peer-ocr.mjs.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OcrBenchmarks
{
    private ServiceProvider _services = null!;
    private PaddleOcr _ocr = null!;
    private IJpegDecoder _decoder = null!;
    private byte[] _jpeg = null!;
    private BgrImage _frame = null!;

    public static string ImageDirectory =>
        Environment.GetEnvironmentVariable("OCR_BENCH_IMAGES") ?? Path.Combine(Path.GetTempPath(), "streamingapp-ocr-bench");

    public static IEnumerable<string> ImageNames => [OcrTextImages.BlackOnWhite.Name, OcrTextImages.WhiteOnDark.Name];

    [ParamsSource(nameof(ImageNames))]
    public string Image { get; set; } = OcrTextImages.BlackOnWhite.Name;

    /// <summary>
    /// Cores the frame may use: 1 is what each frame gets on a busy server; 2 (one per core here) is what a lone frame
    /// gets, and what the peer's onnxruntime-node uses by default.
    /// </summary>
    [Params(1, 2)]
    public int Cores { get; set; } = 1;

    private InferenceSlot _slot = null!;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(ImageDirectory);
        var truth = new Dictionary<string, string[]>();
        foreach (var spec in OcrTextImages.Benchmark)
        {
            var jpeg = OcrTextImages.EncodeJpeg(spec);
            File.WriteAllBytes(Path.Combine(ImageDirectory, spec.Name + ".jpg"), jpeg);
            truth[spec.Name + ".jpg"] = [.. spec.Lines.Select(l => l.Text)];
            if (spec.Name == Image)
            {
                _jpeg = jpeg;
            }
        }

        File.WriteAllText(Path.Combine(ImageDirectory, "truth.json"), JsonSerializer.Serialize(truth));
        _services = InferenceServices.Build();
        _slot = InferenceSlot.Standalone(Cores);
        _ocr = _services.GetRequiredService<PaddleOcr>();
        _decoder = _services.GetRequiredService<IJpegDecoder>();
        _frame = _decoder.Decode(_jpeg);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Dispose();
        _services.Dispose();
    }

    /// <summary>JPEG bytes to texts: what the peer's <c>detect(path)</c> does (minus reading the file).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeAndRead()
    {
        using var frame = _decoder.Decode(_jpeg);
        return _ocr.Read(frame, _slot, out _).Count;
    }

    /// <summary>The engine alone, on an already decoded frame.</summary>
    [Benchmark]
    public int Read() => _ocr.Read(_frame, _slot, out _).Count;
}
