using StreamingApp.Core.Inference.Ocr;

namespace StreamingApp.Core.Pipelines.Steps;

/// <summary>
/// <c>"text"</c>: PaddleOCR PP-OCRv4 lines of text. No pipeline parameters; the reader's settings are the
/// <c>Ocr</c> configuration section (<see cref="PaddleOcrOptions"/>).
/// </summary>
public sealed class TextStep(PaddleOcr ocr) : IPipelineStepFactory
{
    public string Name => "text";

    public IPipelineStep Create(PipelineParameters parameters) => new Step(ocr);

    private sealed class Step(PaddleOcr ocr) : IPipelineStep
    {
        public ImageSize DecodeFit => ocr.FrameFit;

        public void Run(BgrImage frame, InferenceSlot slot, PipelineOutput output)
        {
            var texts = ocr.Read(frame, slot, out var timings);
            output.AddTexts(texts, timings);
        }
    }
}
