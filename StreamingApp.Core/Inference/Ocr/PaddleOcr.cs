using System.Buffers;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// PaddleOCR PP-OCRv4 on ONNX Runtime: DB text detection, then the frame's lines recognised in batched CTC runs.
/// Work-conserving: the detector runs on as many threads as the frame's <see cref="InferenceSlot"/> can borrow, and
/// the lines are split into that many groups of about equal width, recognised in parallel (one thread each: separate
/// runs scale better than intra-op threads on these short 48-pixel rows). Thread-safe: the sessions are shared,
/// every buffer is rented per call.
/// </summary>
public sealed class PaddleOcr : IDisposable
{
    public const string DetectionModelName = "ppocr-det";
    public const string RecognitionModelName = "ppocr-rec";
    public const string KeysName = "ppocr-keys";

    private readonly ModelSessions _detection;
    private readonly LineRecognizer _recognizer;
    private readonly int _maxRecognitionGroups;
    private readonly PaddleOcrOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly NativeRunGuard _natives;
    private readonly string[] _detectionInput;
    private readonly string[] _detectionOutput;

    /// <summary>Uses the process's verified sessions for both models and the verified dictionary.</summary>
    public PaddleOcr(InferenceSessionProvider sessions, ModelCatalog catalog, IOptions<PaddleOcrOptions> options)
    {
        _natives = new NativeRunGuard(_runOptions.Dispose);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        _detection = sessions.GetSessions(DetectionModelName);
        var recognition = sessions.GetSession(RecognitionModelName);
        _maxRecognitionGroups = sessions.MaxThreadsPerRun;
        _options = options.Value;
        var keys = catalog.ReadVerifiedLines(KeysName);
        var decoder = new CtcDecoder(keys);
        _recognizer = new LineRecognizer(recognition, decoder, _options, _runOptions);
        _detectionInput = [_detection[1].InputNames[0]];
        _detectionOutput = [_detection[1].OutputNames[0]];

        var classes = recognition.OutputMetadata[recognition.OutputNames[0]].Dimensions[^1];
        if (classes > 0 && classes != decoder.ClassCount)
        {
            throw new InvalidOperationException(
                $"{RecognitionModelName} has {classes} output classes but {KeysName} gives {decoder.ClassCount} (blank + {keys.Count} keys + space).");
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
    public IReadOnlyList<RecognizedText> Read(BgrImage frame, InferenceSlot slot, out StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(slot);
        using var run = _natives.Enter();
        var lines = ArrayPool<TextQuad>.Shared.Rent(_options.MaxCandidates);
        try
        {
            var count = Detect(frame, slot, lines, out var detectionTimings);
            if (count == 0)
            {
                timings = detectionTimings;
                return [];
            }

            var texts = Recognize(frame, lines.AsMemory(0, count), slot, out var recognitionTimings);
            timings = detectionTimings + recognitionTimings;
            return texts;
        }
        finally
        {
            ArrayPool<TextQuad>.Shared.Return(lines);
        }
    }

    /// <summary>Waits for runs in flight, then frees the run options (the sessions belong to the <see cref="InferenceSessionProvider"/>).</summary>
    public void Dispose() => _natives.Dispose();

    /// <summary>Finds the text lines of the frame (DB detector, then boxes); returns how many were written to <paramref name="lines"/>.</summary>
    private int Detect(BgrImage frame, InferenceSlot slot, TextQuad[] lines, out StageTimings timings)
    {
        var start = Stopwatch.GetTimestamp();
        var (mapWidth, mapHeight) = OcrTensors.DetectionSize(frame.Width, frame.Height, _options.DetectionMaxSide);
        var length = 3 * mapWidth * mapHeight;
        var input = ArrayPool<float>.Shared.Rent(length);
        try
        {
            OcrTensors.FillDetectionInput(frame, mapWidth, mapHeight, input.AsSpan(0, length));
            var filled = Stopwatch.GetTimestamp();
            using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, length), [1, 3, mapHeight, mapWidth]);
            IDisposableReadOnlyCollection<OrtValue> outputs;
            using (var threads = slot.BorrowForRun(_detection.MaxThreads))
            {
                outputs = _detection[threads.Count].Run(_runOptions, _detectionInput, [tensor], _detectionOutput);
            }

            using (outputs)
            {
                var inferred = Stopwatch.GetTimestamp();
                var count = DbPostProcessor.FindBoxes(
                    outputs[0].GetTensorDataAsSpan<float>(), mapWidth, mapHeight, _options, frame.Width, frame.Height, lines);
                timings = StageTimings.Between(start, filled, inferred, Stopwatch.GetTimestamp());
                return count;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    /// <summary>
    /// Recognises the lines in as many groups as the slot can borrow threads for (one group, one run, when the machine
    /// is busy); the texts come back in the lines' order, the timings are those of the slowest group.
    /// </summary>
    private List<RecognizedText> Recognize(BgrImage frame, ReadOnlyMemory<TextQuad> lines, InferenceSlot slot, out StageTimings timings)
    {
        var n = lines.Length;
        var crops = ArrayPool<TextQuad>.Shared.Rent(n);
        var ints = ArrayPool<int>.Shared.Rent((6 * n) + 1); // widths, members, starts (groups + 1 ≤ n + 1), split scratch
        var found = ArrayPool<RecognizedText?>.Shared.Rent(n);
        try
        {
            var widths = ints.AsMemory(0, n);
            for (var i = 0; i < n; i++)
            {
                var line = lines.Span[i];
                var crop = line.Height >= 1.5f * line.Width ? line.RotatedForReading() : line;
                crops[i] = crop.Grown(_options.RecognitionMargin);
                widths.Span[i] = OcrTensors.LineWidth(crops[i], _options.RecognitionMaxWidth);
            }

            using (var threads = slot.BorrowForRun(Math.Min(n, _maxRecognitionGroups)))
            {
                var groups = new LineGroups(ints.AsMemory(n, n), ints.AsMemory(2 * n, threads.Count + 1));
                LinePacking.Split(widths.Span, groups.Members.Span, groups.Starts.Span, ints.AsSpan((3 * n) + 1, 3 * n));
                var work = new RecognitionWork(frame, lines, crops.AsMemory(0, n), widths, groups, found.AsMemory(0, n));
                timings = groups.Count == 1 ? RecognizeGroup(work, 0) : RecognizeInParallel(work);
            }

            var texts = new List<RecognizedText>(n);
            foreach (var text in found.AsSpan(0, n))
            {
                if (text is not null)
                {
                    texts.Add(text);
                }
            }

            return texts;
        }
        finally
        {
            ArrayPool<TextQuad>.Shared.Return(crops);
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<RecognizedText?>.Shared.Return(found, clearArray: true);
        }
    }

    private StageTimings RecognizeInParallel(RecognitionWork work)
    {
        var timings = new StageTimings[work.Groups.Count];
        Parallel.For(0, timings.Length, new ParallelOptions { MaxDegreeOfParallelism = timings.Length }, g => timings[g] = RecognizeGroup(work, g));
        var slowest = timings[0];
        foreach (var t in timings)
        {
            slowest = t.TotalMs > slowest.TotalMs ? t : slowest;
        }

        return slowest;
    }

    private StageTimings RecognizeGroup(RecognitionWork work, int group) =>
        _recognizer.Recognize(
            work.Frame, work.Lines.Span, work.Crops.Span, work.Widths.Span, work.Groups.MembersOf(group), work.Texts.Span);

    /// <summary>One frame's recognition: the inputs every group reads and the texts each group writes at its lines' indices.</summary>
    private sealed record RecognitionWork(
        BgrImage Frame, ReadOnlyMemory<TextQuad> Lines, ReadOnlyMemory<TextQuad> Crops, ReadOnlyMemory<int> Widths, LineGroups Groups,
        Memory<RecognizedText?> Texts);

    /// <summary>Line indices group by group (<see cref="Members"/>), group g from <c>Starts[g]</c> to <c>Starts[g + 1]</c>.</summary>
    private sealed record LineGroups(Memory<int> Members, Memory<int> Starts)
    {
        public int Count => Starts.Length - 1;

        public ReadOnlySpan<int> MembersOf(int group) => Members.Span[Starts.Span[group]..Starts.Span[group + 1]];
    }
}
