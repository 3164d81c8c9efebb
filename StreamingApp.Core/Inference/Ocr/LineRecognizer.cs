using System.Buffers;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// PP-OCRv4 recognition of a group of text lines in one batched CTC run: the lines are packed side by side on the
/// rows of one batch (<see cref="LinePacking"/>), each sampled straight from the frame into the tensor, and each
/// decoded from the time steps of its own columns. Thread-safe: every buffer is rented per call, so the groups of
/// one frame can run in parallel.
/// </summary>
internal sealed class LineRecognizer(InferenceSession session, CtcDecoder decoder, PaddleOcrOptions options, RunOptions runOptions)
{
    private readonly string[] _input = [session.InputNames[0]];
    private readonly string[] _output = [session.OutputNames[0]];

    /// <summary>
    /// Reads the lines whose indices are <paramref name="members"/> (into <paramref name="lines"/>,
    /// <paramref name="crops"/>, <paramref name="widths"/>) and stores each one's text at its index in
    /// <paramref name="texts"/>, or null when it reads as nothing or scores below <see cref="PaddleOcrOptions.MinTextScore"/>.
    /// </summary>
    public StageTimings Recognize(
        BgrImage frame, ReadOnlySpan<TextQuad> lines, ReadOnlySpan<TextQuad> crops, ReadOnlySpan<int> widths,
        ReadOnlySpan<int> members, Span<RecognizedText?> texts)
    {
        var start = Stopwatch.GetTimestamp();
        var n = members.Length;
        var layout = ArrayPool<int>.Shared.Rent(5 * n);
        float[]? input = null;
        try
        {
            var memberWidths = layout.AsSpan(0, n);
            var rowOf = layout.AsSpan(n, n);
            var offsetOf = layout.AsSpan(2 * n, n);
            for (var i = 0; i < n; i++)
            {
                memberWidths[i] = widths[members[i]];
            }

            var (rows, batchWidth) = LinePacking.Pack(memberWidths, rowOf, offsetOf, layout.AsSpan(3 * n, n), layout.AsSpan(4 * n, n));
            var rowLength = 3 * OcrTensors.LineHeight * batchWidth;
            input = ArrayPool<float>.Shared.Rent(rows * rowLength);
            var tensorData = input.AsSpan(0, rows * rowLength);
            tensorData.Clear(); // gaps and row ends are zero, as PaddleOCR pads
            for (var i = 0; i < n; i++)
            {
                OcrTensors.SampleLine(frame, crops[members[i]], memberWidths[i], batchWidth, offsetOf[i], tensorData.Slice(rowOf[i] * rowLength, rowLength));
            }

            var sampled = Stopwatch.GetTimestamp();
            using var tensor = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, input.AsMemory(0, rows * rowLength), [rows, 3, OcrTensors.LineHeight, batchWidth]);
            using var outputs = session.Run(runOptions, _input, [tensor], _output);
            var inferred = Stopwatch.GetTimestamp();

            var placement = new Placement(memberWidths, rowOf, offsetOf, batchWidth);
            Decode(frame, lines, members, placement, outputs[0], texts);
            return StageTimings.Between(start, sampled, inferred, Stopwatch.GetTimestamp());
        }
        finally
        {
            ArrayPool<int>.Shared.Return(layout);
            if (input is not null)
            {
                ArrayPool<float>.Shared.Return(input);
            }
        }
    }

    /// <summary>Decodes each line from the time steps of its columns, plus half the gap on either side.</summary>
    private void Decode(
        BgrImage frame, ReadOnlySpan<TextQuad> lines, ReadOnlySpan<int> members, in Placement placement, OrtValue output,
        Span<RecognizedText?> texts)
    {
        var steps = (int)output.GetTensorTypeAndShape().Shape[1];
        var stepsPerColumn = (float)steps / placement.BatchWidth;
        var probabilities = output.GetTensorDataAsSpan<float>();
        var rowLength = steps * decoder.ClassCount;
        var scratch = ArrayPool<char>.Shared.Rent(steps * decoder.MaxSymbolLength);
        try
        {
            for (var i = 0; i < members.Length; i++)
            {
                var offset = placement.OffsetOf[i];
                var first = Math.Max(0, (int)((offset - (LinePacking.Gap / 2)) * stepsPerColumn));
                var end = Math.Min(steps, (int)MathF.Ceiling((offset + placement.Widths[i] + (LinePacking.Gap / 2)) * stepsPerColumn));
                var lineSteps = probabilities.Slice((placement.RowOf[i] * rowLength) + (first * decoder.ClassCount), (end - first) * decoder.ClassCount);
                var (text, score) = decoder.Decode(lineSteps, end - first, scratch);
                var line = members[i];
                texts[line] = text.Length == 0 || score < options.MinTextScore
                    ? null
                    : ToNormalized(lines[line], text, score, frame.Width, frame.Height);
            }
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

    /// <summary>Where each member line sits in the batch: its width, row and first column.</summary>
    private readonly ref struct Placement(ReadOnlySpan<int> widths, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> offsetOf, int batchWidth)
    {
        public ReadOnlySpan<int> Widths { get; } = widths;

        public ReadOnlySpan<int> RowOf { get; } = rowOf;

        public ReadOnlySpan<int> OffsetOf { get; } = offsetOf;

        public int BatchWidth { get; } = batchWidth;
    }
}
