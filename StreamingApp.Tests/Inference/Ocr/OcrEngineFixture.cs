using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Inference.Ocr;

/// <summary>One engine (two sessions) and one folder of generated images for all OCR tests.</summary>
public sealed class OcrEngineFixture : IDisposable
{
    public OcrEngineFixture()
    {
        Engine = PaddleOcr.Open(
            Path.Combine(TestPaths.ModelsDirectory, "ch_PP-OCRv4_det_infer.onnx"),
            Path.Combine(TestPaths.ModelsDirectory, "ch_PP-OCRv4_rec_infer.onnx"),
            Path.Combine(TestPaths.ModelsDirectory, "ppocr_keys_v1.txt"));
        ImageDirectory = Directory.CreateTempSubdirectory("streamingapp-ocr-").FullName;
    }

    public PaddleOcr Engine { get; }

    public string ImageDirectory { get; }

    public void Dispose()
    {
        Engine.Dispose();
        Directory.Delete(ImageDirectory, recursive: true);
    }
}
