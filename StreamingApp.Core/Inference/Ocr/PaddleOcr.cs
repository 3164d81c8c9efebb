using System.Buffers;
using System.Diagnostics;
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
    private readonly InferenceSession _detection;
    private readonly InferenceSession _recognition;
    private readonly bool _ownsSessions;
    private readonly PaddleOcrOptions _options;
    private readonly CtcDecoder _decoder;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _detectionInput;
    private readonly string[] _detectionOutput;
    private readonly string[] _recognitionInput;
    private readonly string[] _recognitionOutput;

    /// <summary>Uses sessions owned by the caller (one per model per process).</summary>
    /// <param name="keys">The recognizer's dictionary (<see cref="ReadKeys"/>).</param>
    public PaddleOcr(InferenceSession detection, InferenceSession recognition, IReadOnlyList<string> keys, PaddleOcrOptions? options = null)
        : this(detection, recognition, keys, options, ownsSessions: false)
    {
    }

    private PaddleOcr(InferenceSession detection, InferenceSession recognition, IReadOnlyList<string> keys, PaddleOcrOptions? options, bool ownsSessions)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(recognition);
        _detection = detection;
        _recognition = recognition;
        _ownsSessions = ownsSessions;
        _options = options ?? new PaddleOcrOptions();
        _decoder = new CtcDecoder(keys);
        _detectionInput = [detection.InputNames[0]];
        _detectionOutput = [detection.OutputNames[0]];
        _recognitionInput = [recognition.InputNames[0]];
        _recognitionOutput = [recognition.OutputNames[0]];

        var classes = recognition.OutputMetadata[_recognitionOutput[0]].Dimensions[^1];
        if (classes > 0 && classes != _decoder.ClassCount)
        {
            throw new ArgumentException(
                $"The recognizer has {classes} output classes but the dictionary gives {_decoder.ClassCount} (blank + {keys.Count} keys + space).",
                nameof(keys));
        }
    }

    /// <summary>
    /// Loads both models with the team's session settings (one intra-op thread, no spinning: frames run in
    /// parallel, not the operators of one frame) and owns the sessions.
    /// </summary>
    public static PaddleOcr Open(string detectionModelPath, string recognitionModelPath, string keysPath, PaddleOcrOptions? options = null)
    {
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var detection = new InferenceSession(detectionModelPath, sessionOptions);
        try
        {
            var recognition = new InferenceSession(recognitionModelPath, sessionOptions);
            try
            {
                return new PaddleOcr(detection, recognition, ReadKeys(keysPath), options, ownsSessions: true);
            }
            catch
            {
                recognition.Dispose();
                throw;
            }
        }
        catch
        {
            detection.Dispose();
            throw;
        }
    }

    /// <summary>Reads ppocr_keys_v1.txt: one symbol per line, no trailing empty entry.</summary>
    public static string[] ReadKeys(string path)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }

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

    public void Dispose()
    {
        _runOptions.Dispose();
        if (_ownsSessions)
        {
            _detection.Dispose();
            _recognition.Dispose();
        }
    }

    private List<RecognizedText> Recognize(BgrImage frame, ReadOnlySpan<TextQuad> lines, out StageTimings timings)
    {
        var start = Stopwatch.GetTimestamp();
        var crops = ArrayPool<TextQuad>.Shared.Rent(lines.Length);
        var widths = ArrayPool<int>.Shared.Rent(lines.Length);
        float[]? input = null;
        try
        {
            // One batch for the whole frame, padded to its widest line (the recognizer's time steps are width / 8).
            // With a single run, PaddleOCR's sort by aspect ratio (which groups similar widths into batches of 6)
            // would change nothing, so lines keep reading order.
            var batchWidth = 8;
            for (var i = 0; i < lines.Length; i++)
            {
                var crop = lines[i].Height >= 1.5f * lines[i].Width ? lines[i].RotatedForReading() : lines[i];
                crops[i] = crop.Grown(_options.RecognitionMargin);
                widths[i] = OcrTensors.LineWidth(crops[i], _options.RecognitionMaxWidth);
                batchWidth = Math.Max(batchWidth, widths[i]);
            }

            batchWidth = (batchWidth + 7) / 8 * 8;
            var slot = 3 * OcrTensors.LineHeight * batchWidth;
            input = ArrayPool<float>.Shared.Rent(lines.Length * slot);
            for (var i = 0; i < lines.Length; i++)
            {
                OcrTensors.SampleLine(frame, crops[i], widths[i], batchWidth, input.AsSpan(i * slot, slot));
            }

            var sampled = Stopwatch.GetTimestamp();
            using var tensor = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, input.AsMemory(0, lines.Length * slot), [lines.Length, 3, OcrTensors.LineHeight, batchWidth]);
            using var outputs = _recognition.Run(_runOptions, _recognitionInput, [tensor], _recognitionOutput);
            var inferred = Stopwatch.GetTimestamp();

            var texts = Decode(frame, lines, outputs[0]);
            timings = new StageTimings(Ms(start, sampled), Ms(sampled, inferred), Ms(inferred, Stopwatch.GetTimestamp()));
            return texts;
        }
        finally
        {
            ArrayPool<TextQuad>.Shared.Return(crops);
            ArrayPool<int>.Shared.Return(widths);
            if (input is not null)
            {
                ArrayPool<float>.Shared.Return(input);
            }
        }
    }

    private List<RecognizedText> Decode(BgrImage frame, ReadOnlySpan<TextQuad> lines, OrtValue output)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var steps = (int)shape[1];
        var probabilities = output.GetTensorDataAsSpan<float>();
        var perLine = steps * _decoder.ClassCount;
        var scratch = ArrayPool<char>.Shared.Rent(steps * _decoder.MaxSymbolLength);
        try
        {
            var texts = new List<RecognizedText>(lines.Length);
            for (var i = 0; i < lines.Length; i++)
            {
                var (text, score) = _decoder.Decode(probabilities.Slice(i * perLine, perLine), steps, scratch);
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
