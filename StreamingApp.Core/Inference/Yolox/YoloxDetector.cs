using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Core.Inference.Yolox;

/// <summary>
/// YOLOX-nano on one frame: letterbox into the input tensor, run, decode the anchor-free grid over strides
/// 8/16/32, score = objectness × class, class-aware NMS, boxes mapped back and normalized to the frame.
/// Thread-safe: each call borrows a workspace (pinned input/output buffers with their OrtValues, reused across
/// frames), so the steady state allocates only the result list. The run uses as many threads as the frame's
/// <see cref="InferenceSlot"/> can borrow (the session for that count).
/// </summary>
public sealed class YoloxDetector : IDisposable
{
    public const string ModelName = "yolox-nano";
    public const string LabelsName = "coco-labels";

    private static readonly int[] Strides = [8, 16, 32];

    private readonly ModelSessions _sessions;
    private readonly RunOptions _runOptions = new();
    private readonly NativeRunGuard _natives;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly string[] _labels;
    private readonly float[] _gridX;
    private readonly float[] _gridY;
    private readonly float[] _stride;
    private readonly int _rowLength;
    private readonly ConcurrentBag<Workspace> _workspaces = [];

    public YoloxDetector(InferenceSessionProvider sessions, ModelCatalog catalog)
    {
        _natives = new NativeRunGuard(ReleaseNatives);
        _sessions = sessions.GetSessions(ModelName);
        var session = _sessions[1];
        _inputNames = [.. session.InputNames];
        _outputNames = [.. session.OutputNames];
        var input = session.InputMetadata[_inputNames[0]].Dimensions; // [1, 3, H, W]
        var output = session.OutputMetadata[_outputNames[0]].Dimensions; // [1, anchors, 5 + classes]
        InputSize = new ImageSize(input[3], input[2]);
        _labels = [.. catalog.ReadVerifiedLines(LabelsName)];
        _rowLength = output[2];
        if (_rowLength != 5 + _labels.Length)
        {
            throw new InvalidOperationException($"{ModelName} outputs {_rowLength - 5} classes but {LabelsName} has {_labels.Length} labels.");
        }

        (_gridX, _gridY, _stride) = BuildGrid(InputSize, output[1]);
    }

    /// <summary>The model input (416×416): pipelines may decode JPEGs at a reduced size that still covers it.</summary>
    public ImageSize InputSize { get; }

    public IReadOnlyList<string> Labels => _labels;

    public IReadOnlyList<Detection> Detect(BgrImage frame, YoloxSettings settings, InferenceSlot slot, out StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(slot);
        using var run = _natives.Enter();
        var workspace = Rent();
        try
        {
            var t0 = Stopwatch.GetTimestamp();
            var letterbox = Letterbox.Apply(frame, workspace.Input, InputSize);
            var t1 = Stopwatch.GetTimestamp();
            using (var threads = slot.BorrowForRun(_sessions.MaxThreads))
            {
                _sessions[threads.Count].Run(_runOptions, _inputNames, workspace.InputValues, _outputNames, workspace.OutputValues);
            }

            var t2 = Stopwatch.GetTimestamp();
            var detections = Decode(workspace, letterbox, frame.Width, frame.Height, settings);
            var t3 = Stopwatch.GetTimestamp();
            timings = StageTimings.Between(t0, t1, t2, t3);
            return detections;
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    /// <summary>Waits for runs in flight, then frees the workspaces and run options (the sessions belong to the provider).</summary>
    public void Dispose() => _natives.Dispose();

    private void ReleaseNatives()
    {
        while (_workspaces.TryTake(out var workspace))
        {
            workspace.Dispose();
        }

        _runOptions.Dispose();
    }

    private List<Detection> Decode(Workspace workspace, LetterboxInfo letterbox, int frameWidth, int frameHeight, YoloxSettings settings)
    {
        ReadOnlySpan<float> output = workspace.Output;
        var threshold = settings.ScoreThreshold;
        var classes = _labels.Length;
        var count = 0;
        for (var a = 0; a < _gridX.Length; a++)
        {
            var row = output.Slice(a * _rowLength, _rowLength);
            var objectness = row[4];
            if (objectness < threshold)
            {
                continue; // class scores are ≤ 1, so no class of this anchor can pass
            }

            var stride = _stride[a];
            var cx = (row[0] + _gridX[a]) * stride;
            var cy = (row[1] + _gridY[a]) * stride;
            var halfW = MathF.Exp(row[2]) * stride / 2;
            var halfH = MathF.Exp(row[3]) * stride / 2;
            for (var c = 0; c < classes; c++)
            {
                var score = objectness * row[5 + c];
                if (score >= threshold)
                {
                    workspace.EnsureCandidateCapacity(count + 1);
                    workspace.Candidates[count++] = new Candidate(cx - halfW, cy - halfH, cx + halfW, cy + halfH, score, c);
                }
            }
        }

        var candidates = workspace.Candidates.AsSpan(0, count);
        candidates.Sort(static (x, y) => y.Score.CompareTo(x.Score));
        var kept = SuppressNonMaxima(candidates, settings.NmsThreshold);

        // Input-tensor pixels → frame pixels → 0..1 of the frame, clamped to it.
        var toFrame = 1f / letterbox.Scale;
        var result = new List<Detection>(kept);
        foreach (ref readonly var c in candidates)
        {
            if (c.Suppressed)
            {
                continue;
            }

            var x1 = Math.Clamp(c.X1 * toFrame / frameWidth, 0f, 1f);
            var y1 = Math.Clamp(c.Y1 * toFrame / frameHeight, 0f, 1f);
            var x2 = Math.Clamp(c.X2 * toFrame / frameWidth, 0f, 1f);
            var y2 = Math.Clamp(c.Y2 * toFrame / frameHeight, 0f, 1f);
            result.Add(new Detection(x1, y1, x2 - x1, y2 - y1, _labels[c.Class], c.Score));
        }

        return result;
    }

    /// <summary>Greedy class-aware NMS over candidates sorted by descending score; marks the losers, returns the kept count.</summary>
    private static int SuppressNonMaxima(Span<Candidate> candidates, float iouThreshold)
    {
        var kept = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var best = ref candidates[i];
            if (best.Suppressed)
            {
                continue;
            }

            kept++;
            for (var j = i + 1; j < candidates.Length; j++)
            {
                ref var other = ref candidates[j];
                if (!other.Suppressed && other.Class == best.Class && Iou(best, other) > iouThreshold)
                {
                    other.Suppressed = true;
                }
            }
        }

        return kept;
    }

    private static float Iou(in Candidate a, in Candidate b)
    {
        var w = MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1);
        var h = MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        return intersection / (((a.X2 - a.X1) * (a.Y2 - a.Y1)) + ((b.X2 - b.X1) * (b.Y2 - b.Y1)) - intersection);
    }

    private static (float[] X, float[] Y, float[] Stride) BuildGrid(ImageSize input, int anchors)
    {
        var x = new float[anchors];
        var y = new float[anchors];
        var s = new float[anchors];
        var i = 0;
        foreach (var stride in Strides)
        {
            int rows = input.Height / stride, cols = input.Width / stride;
            for (var gy = 0; gy < rows; gy++)
            {
                for (var gx = 0; gx < cols; gx++, i++)
                {
                    if (i < anchors)
                    {
                        (x[i], y[i], s[i]) = (gx, gy, stride);
                    }
                }
            }
        }

        return i == anchors
            ? (x, y, s)
            : throw new InvalidOperationException($"{ModelName}: {anchors} output rows, but strides 8/16/32 over {input.Width}x{input.Height} give {i}.");
    }

    private Workspace Rent() =>
        _workspaces.TryTake(out var workspace)
            ? workspace
            : new Workspace(InputSize, _gridX.Length, _rowLength);

    private struct Candidate(float x1, float y1, float x2, float y2, float score, int @class)
    {
        public readonly float X1 = x1, Y1 = y1, X2 = x2, Y2 = y2, Score = score;
        public readonly int Class = @class;
        public bool Suppressed;
    }

    /// <summary>Per-call buffers. Arrays are pinned for the OrtValues' lifetime, which is the workspace's.</summary>
    private sealed class Workspace : IDisposable
    {
        public Workspace(ImageSize input, int anchors, int rowLength)
        {
            Input = GC.AllocateUninitializedArray<float>(3 * input.Width * input.Height, pinned: true);
            Output = GC.AllocateUninitializedArray<float>(anchors * rowLength, pinned: true);
            InputValues = [OrtValue.CreateTensorValueFromMemory(Input, [1, 3, input.Height, input.Width])];
            OutputValues = [OrtValue.CreateTensorValueFromMemory(Output, [1, anchors, rowLength])];
            Candidates = ArrayPool<Candidate>.Shared.Rent(256);
        }

        public float[] Input { get; }

        public float[] Output { get; }

        public OrtValue[] InputValues { get; }

        public OrtValue[] OutputValues { get; }

        public Candidate[] Candidates { get; private set; }

        public void EnsureCandidateCapacity(int needed)
        {
            if (needed > Candidates.Length)
            {
                var bigger = ArrayPool<Candidate>.Shared.Rent(Candidates.Length * 2);
                Candidates.AsSpan().CopyTo(bigger);
                ArrayPool<Candidate>.Shared.Return(Candidates);
                Candidates = bigger;
            }
        }

        public void Dispose()
        {
            InputValues[0].Dispose();
            OutputValues[0].Dispose();
            ArrayPool<Candidate>.Shared.Return(Candidates);
        }
    }
}
