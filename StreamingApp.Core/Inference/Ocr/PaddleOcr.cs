using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// PaddleOCR PP-OCRv4 on ONNX Runtime: DB text detection, then all lines of the frame recognised in one batched
/// CTC run. Thread-safe: the sessions are shared, every buffer is rented per call.
/// </summary>
public sealed class PaddleOcr : IDisposable
{
    public const string DetectionModelName = "ppocr-det";
    public const string RecognitionModelName = "ppocr-rec";
    public const string KeysName = "ppocr-keys";

    private readonly InferenceSession _detection;
    private readonly InferenceSession _recognition;
    private readonly PaddleOcrOptions _options;
    private readonly CtcDecoder _decoder;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _detectionInput;
    private readonly string[] _detectionOutput;
    private readonly string[] _recognitionInput;
    private readonly string[] _recognitionOutput;

    /// <summary>Uses the process's verified sessions for both models and the verified dictionary.</summary>
    public PaddleOcr(InferenceSessionProvider sessions, ModelCatalog catalog, IOptions<PaddleOcrOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        _detection = sessions.GetSession(DetectionModelName);
        _recognition = sessions.GetSession(RecognitionModelName);
        _options = options.Value;
        var keys = catalog.ReadVerifiedLines(KeysName);
        _decoder = new CtcDecoder(keys);
        _detectionInput = [_detection.InputNames[0]];
        _detectionOutput = [_detection.OutputNames[0]];
        _recognitionInput = [_recognition.InputNames[0]];
        _recognitionOutput = [_recognition.OutputNames[0]];

        var classes = _recognition.OutputMetadata[_recognitionOutput[0]].Dimensions[^1];
        if (classes > 0 && classes != _decoder.ClassCount)
        {
            throw new InvalidOperationException(
                $"{RecognitionModelName} has {classes} output classes but {KeysName} gives {_decoder.ClassCount} (blank + {keys.Count} keys + space).");
        }
    }

    /// <summary>
    /// The frame size reading needs: detection sees at most <see cref="PaddleOcrOptions.DetectionMaxSide"/> (960) on
    /// the long side, and the lines it finds are cut from a frame of up to twice that, so each is read at twice the
    /// resolution it was found at. Text too small to detect at 960 is not read from a larger frame either; a frame
    /// beyond this box only costs memory and time.
    /// </summary>
    public ImageSize FrameFit => new(2 * _options.DetectionMaxSide, 2 * _options.DetectionMaxSide);

    /// <summary>Reads every text line of the frame, in reading order (top to bottom, then left to right).</summary>
    public IReadOnlyList<RecognizedText> Read(BgrImage frame, out StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = Stopwatch.GetTimestamp();
        var (mapWidth, mapHeight) = OcrTensors.DetectionSize(frame.Width, frame.Height, _options.DetectionMaxSide);
        var detectionLength = 3 * mapWidth * mapHeight;
        var detectionInput = ArrayPool<float>.Shared.Rent(detectionLength);
        var lines = ArrayPool<TextQuad>.Shared.Rent(_options.MaxCandidates);
        try
        {
            OcrTensors.FillDetectionInput(frame, mapWidth, mapHeight, detectionInput.AsSpan(0, detectionLength));
            var detected = Stopwatch.GetTimestamp();
            int count;
            long inferred;
            using (var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, detectionInput.AsMemory(0, detectionLength), [1, 3, mapHeight, mapWidth]))
            using (var outputs = _detection.Run(_runOptions, _detectionInput, [input], _detectionOutput))
            {
                inferred = Stopwatch.GetTimestamp();
                count = DbPostProcessor.FindBoxes(
                    outputs[0].GetTensorDataAsSpan<float>(), mapWidth, mapHeight, _options, frame.Width, frame.Height, lines);
            }

            var located = Stopwatch.GetTimestamp();
            var detectionTimings = new StageTimings(
                Ms(start, detected), Ms(detected, inferred), Ms(inferred, located));
            if (count == 0)
            {
                timings = detectionTimings;
                return [];
            }

            var texts = Recognize(frame, lines.AsSpan(0, count), out var recognitionTimings);
            timings = detectionTimings + recognitionTimings;
            return texts;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(detectionInput);
            ArrayPool<TextQuad>.Shared.Return(lines);
        }
    }

    /// <summary>The sessions belong to the <see cref="InferenceSessionProvider"/>.</summary>
    public void Dispose() => _runOptions.Dispose();

    private List<RecognizedText> Recognize(BgrImage frame, ReadOnlySpan<TextQuad> lines, out StageTimings timings)
    {
        var start = Stopwatch.GetTimestamp();
        var n = lines.Length;
        var crops = ArrayPool<TextQuad>.Shared.Rent(n);
        var layout = ArrayPool<int>.Shared.Rent(5 * n);
        float[]? input = null;
        try
        {
            var widths = layout.AsSpan(0, n);
            var rowOf = layout.AsSpan(n, n);
            var offsetOf = layout.AsSpan(2 * n, n);
            for (var i = 0; i < n; i++)
            {
                var crop = lines[i].Height >= 1.5f * lines[i].Width ? lines[i].RotatedForReading() : lines[i];
                crops[i] = crop.Grown(_options.RecognitionMargin);
                widths[i] = OcrTensors.LineWidth(crops[i], _options.RecognitionMaxWidth);
            }

            // All lines in one run: packed side by side on the rows of a single batch.
            var (rows, batchWidth) = LinePacking.Pack(widths, rowOf, offsetOf, layout.AsSpan(3 * n, n), layout.AsSpan(4 * n, n));
            var rowLength = 3 * OcrTensors.LineHeight * batchWidth;
            input = ArrayPool<float>.Shared.Rent(rows * rowLength);
            var tensorData = input.AsSpan(0, rows * rowLength);
            tensorData.Clear(); // gaps and row ends are zero, as PaddleOCR pads
            for (var i = 0; i < n; i++)
            {
                OcrTensors.SampleLine(frame, crops[i], widths[i], batchWidth, offsetOf[i], tensorData.Slice(rowOf[i] * rowLength, rowLength));
            }

            var sampled = Stopwatch.GetTimestamp();
            using var tensor = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, input.AsMemory(0, rows * rowLength), [rows, 3, OcrTensors.LineHeight, batchWidth]);
            using var outputs = _recognition.Run(_runOptions, _recognitionInput, [tensor], _recognitionOutput);
            var inferred = Stopwatch.GetTimestamp();

            var texts = Decode(frame, lines, widths, rowOf, offsetOf, batchWidth, outputs[0]);
            timings = new StageTimings(Ms(start, sampled), Ms(sampled, inferred), Ms(inferred, Stopwatch.GetTimestamp()));
            return texts;
        }
        finally
        {
            ArrayPool<TextQuad>.Shared.Return(crops);
            ArrayPool<int>.Shared.Return(layout);
            if (input is not null)
            {
                ArrayPool<float>.Shared.Return(input);
            }
        }
    }

    /// <summary>Decodes each line from the time steps of its columns, plus half the gap on either side.</summary>
    private List<RecognizedText> Decode(
        BgrImage frame, ReadOnlySpan<TextQuad> lines, ReadOnlySpan<int> widths, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> offsetOf,
        int batchWidth, OrtValue output)
    {
        var steps = (int)output.GetTensorTypeAndShape().Shape[1];
        var stepsPerColumn = (float)steps / batchWidth;
        var probabilities = output.GetTensorDataAsSpan<float>();
        var rowLength = steps * _decoder.ClassCount;
        var scratch = ArrayPool<char>.Shared.Rent(steps * _decoder.MaxSymbolLength);
        try
        {
            var texts = new List<RecognizedText>(lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                var first = Math.Max(0, (int)((offsetOf[i] - (LinePacking.Gap / 2)) * stepsPerColumn));
                var end = Math.Min(steps, (int)MathF.Ceiling((offsetOf[i] + widths[i] + (LinePacking.Gap / 2)) * stepsPerColumn));
                var lineSteps = probabilities.Slice((rowOf[i] * rowLength) + (first * _decoder.ClassCount), (end - first) * _decoder.ClassCount);
                var (text, score) = _decoder.Decode(lineSteps, end - first, scratch);
                if (text.Length == 0 || score < _options.MinTextScore)
                {
                    continue;
                }

                texts.Add(ToNormalized(lines[i], text, score, frame.Width, frame.Height));
            }

            return texts;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>The axis-aligned bounds of the quad, normalized to the frame.</summary>
    private static RecognizedText ToNormalized(in TextQuad line, string text, float score, int width, int height)
    {
        var left = MathF.Min(MathF.Min(line.TopLeft.X, line.TopRight.X), MathF.Min(line.BottomLeft.X, line.BottomRight.X));
        var right = MathF.Max(MathF.Max(line.TopLeft.X, line.TopRight.X), MathF.Max(line.BottomLeft.X, line.BottomRight.X));
        var top = MathF.Min(MathF.Min(line.TopLeft.Y, line.TopRight.Y), MathF.Min(line.BottomLeft.Y, line.BottomRight.Y));
        var bottom = MathF.Max(MathF.Max(line.TopLeft.Y, line.TopRight.Y), MathF.Max(line.BottomLeft.Y, line.BottomRight.Y));
        return new RecognizedText(left / width, top / height, (right - left) / width, (bottom - top) / height, text, score);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
