using System.Text.Json;
using BenchmarkDotNet.Attributes;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Tests.Inference.Ocr;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// PaddleOcr.Read on the 640×480 text images the OCR target is measured on (decoded frame in, texts out).
/// Setup also writes the JPEGs and their truth to <see cref="ImageDirectory"/> for peer/peer-ocr.mjs, so the
/// peer reads exactly the same files.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OcrBenchmarks
{
    private PaddleOcr? _ocr;
    private BgrImage? _frame;

    public static string ImageDirectory =>
        Environment.GetEnvironmentVariable("OCR_BENCH_IMAGES") ?? Path.Combine(Path.GetTempPath(), "streamingapp-ocr-bench");

    public static IEnumerable<string> ImageNames => [OcrTextImages.BlackOnWhite.Name, OcrTextImages.WhiteOnDark.Name];

    [ParamsSource(nameof(ImageNames))]
    public string Image { get; set; } = OcrTextImages.BlackOnWhite.Name;

    /// <summary>1 is the team's setting; 2 (all cores) is what the peer's onnxruntime-node uses by default.</summary>
    [Params(1, 2)]
    public int IntraOpThreads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(ImageDirectory);
        var truth = new Dictionary<string, string[]>();
        foreach (var spec in OcrTextImages.Benchmark)
        {
            var path = OcrTextImages.WriteJpeg(spec, ImageDirectory);
            truth[Path.GetFileName(path)] = [.. spec.Lines.Select(l => l.Text)];
            if (spec.Name == Image)
            {
                _frame = OcrTextImages.LoadBgr(path, spec.Width, spec.Height);
            }
        }

        File.WriteAllText(Path.Combine(ImageDirectory, "truth.json"), JsonSerializer.Serialize(truth));
        _ocr = PaddleOcr.Open(
            Path.Combine(TestPaths.ModelsDirectory, "ch_PP-OCRv4_det_infer.onnx"),
            Path.Combine(TestPaths.ModelsDirectory, "ch_PP-OCRv4_rec_infer.onnx"),
            Path.Combine(TestPaths.ModelsDirectory, "ppocr_keys_v1.txt"),
            intraOpThreads: IntraOpThreads);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ocr?.Dispose();
        _frame?.Dispose();
    }

    [Benchmark]
    public int Read() => _ocr!.Read(_frame!, out _).Count;
}
