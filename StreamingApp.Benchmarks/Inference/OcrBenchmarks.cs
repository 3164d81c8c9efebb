using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Tests.Inference.Ocr;

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
    private InferenceBench _bench = null!;
    private PaddleOcr _ocr = null!;

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
        byte[]? benchJpeg = null;
        foreach (var spec in OcrTextImages.Benchmark)
        {
            var jpeg = OcrTextImages.EncodeJpeg(spec);
            File.WriteAllBytes(Path.Combine(ImageDirectory, spec.Name + ".jpg"), jpeg);
            truth[spec.Name + ".jpg"] = [.. spec.Lines.Select(l => l.Text)];
            if (spec.Name == Image)
            {
                benchJpeg = jpeg;
            }
        }

        File.WriteAllText(Path.Combine(ImageDirectory, "truth.json"), JsonSerializer.Serialize(truth));
        _bench = new InferenceBench(benchJpeg ?? throw new InvalidOperationException($"no benchmark image {Image}"));
        _slot = InferenceSlot.Standalone(Cores);
        _ocr = _bench.Get<PaddleOcr>();
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    /// <summary>JPEG bytes to texts: what the peer's <c>detect(path)</c> does (minus reading the file).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeAndRead()
    {
        using var frame = _bench.Decode();
        return _ocr.Read(frame, _slot, out _).Count;
    }

    /// <summary>The engine alone, on an already decoded frame.</summary>
    [Benchmark]
    public int Read() => _ocr.Read(_bench.Frame, _slot, out _).Count;
}

/// <summary>
/// The OCR detector's work around the model, which <see cref="OcrBenchmarks"/> cannot tell apart from inference:
/// filling its input from a 640×480 frame (normalized as is) and from a 1280×720 one (resized to 960×544), and finding
/// the boxes in the probability map the model really produced for the text image.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OcrStageBenchmarks
{
    private readonly PaddleOcrOptions _options = new();
    private readonly TextQuad[] _boxes = new TextQuad[1000];
    private BgrImage _frame = null!;
    private BgrImage _largeFrame = null!;
    private float[] _input = null!;
    private float[] _map = null!;
    private int _mapWidth;
    private int _mapHeight;

    [GlobalSetup]
    public void Setup()
    {
        using var services = InferenceServices.Build();
        var decoder = services.GetRequiredService<IJpegDecoder>();
        _frame = decoder.Decode(OcrTextImages.EncodeJpeg(OcrTextImages.BlackOnWhite));
        _largeFrame = decoder.Decode(OcrTextImages.EncodeJpeg(OcrTextImages.LargeFrame));
        (_mapWidth, _mapHeight) = OcrTensors.DetectionSize(_frame.Width, _frame.Height, _options.DetectionMaxSide);
        _input = new float[3 * 960 * 544];
        var length = 3 * _mapWidth * _mapHeight;
        OcrTensors.FillDetectionInput(_frame, _mapWidth, _mapHeight, _input.AsSpan(0, length));

        var session = services.GetRequiredService<InferenceSessionProvider>().GetSession(PaddleOcr.DetectionModelName);
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, length), [1, 3, _mapHeight, _mapWidth]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [.. session.InputNames], [tensor], [.. session.OutputNames]);
        _map = outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Dispose();
        _largeFrame.Dispose();
    }

    [Benchmark]
    public float FillDetectionInput()
    {
        OcrTensors.FillDetectionInput(_frame, _mapWidth, _mapHeight, _input.AsSpan(0, 3 * _mapWidth * _mapHeight));
        return _input[0];
    }

    [Benchmark]
    public float FillDetectionInputResized()
    {
        OcrTensors.FillDetectionInput(_largeFrame, 960, 544, _input);
        return _input[0];
    }

    [Benchmark]
    public int FindBoxes() =>
        DbPostProcessor.FindBoxes(_map, _mapWidth, _mapHeight, _options, _frame.Width, _frame.Height, _boxes);
}
