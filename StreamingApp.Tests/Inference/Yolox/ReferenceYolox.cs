using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Tests.Inference.Yolox;

/// <summary>
/// A deliberately plain re-implementation of YOLOX's own ONNX demo (demo/ONNXRuntime/onnx_inference.py with
/// yolox/data/data_augment.preproc and yolox/utils/demo_utils): full-resolution image, OpenCV-style bilinear
/// resize by r = min(416/h, 416/w) into a 114-filled canvas, grid decode over strides 8/16/32, boxes / r,
/// per-class NMS at 0.45. No pooling, no shortcuts — it exists only to check the fast path against it.
/// </summary>
internal static class ReferenceYolox
{
    public static List<Detection> Detect(InferenceSession session, IReadOnlyList<string> labels, BgrImage image, float scoreThreshold = 0.3f, float nmsThreshold = 0.45f)
    {
        const int size = 416;
        var r = Math.Min((float)size / image.Height, (float)size / image.Width);
        int nw = (int)(image.Width * r), nh = (int)(image.Height * r);
        var input = new float[3 * size * size];
        Array.Fill(input, 114f);
        var px = image.Pixels.ToArray();
        for (var y = 0; y < nh; y++)
        {
            for (var x = 0; x < nw; x++)
            {
                var sx = Math.Clamp(((x + 0.5f) * image.Width / nw) - 0.5f, 0, image.Width - 1);
                var sy = Math.Clamp(((y + 0.5f) * image.Height / nh) - 0.5f, 0, image.Height - 1);
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, image.Width - 1), y1 = Math.Min(y0 + 1, image.Height - 1);
                float fx = sx - x0, fy = sy - y0;
                for (var c = 0; c < 3; c++)
                {
                    float P(int xx, int yy) => px[(((yy * image.Width) + xx) * 3) + c];
                    var top = (P(x0, y0) * (1 - fx)) + (P(x1, y0) * fx);
                    var bottom = (P(x0, y1) * (1 - fx)) + (P(x1, y1) * fx);
                    input[(c * size * size) + (y * size) + x] = (top * (1 - fy)) + (bottom * fy);
                }
            }
        }

        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, 3, size, size]);
        using var outputs = session.Run(new RunOptions(), ["images"], [tensor], ["output"]);
        var raw = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var boxes = new List<(float X1, float Y1, float X2, float Y2)>();
        var scores = new List<float[]>();
        var row = 0;
        foreach (var stride in new[] { 8, 16, 32 })
        {
            for (var gy = 0; gy < size / stride; gy++)
            {
                for (var gx = 0; gx < size / stride; gx++, row++)
                {
                    var o = row * 85;
                    var cx = (raw[o] + gx) * stride;
                    var cy = (raw[o + 1] + gy) * stride;
                    var w = MathF.Exp(raw[o + 2]) * stride;
                    var h = MathF.Exp(raw[o + 3]) * stride;
                    boxes.Add(((cx - (w / 2)) / r, (cy - (h / 2)) / r, (cx + (w / 2)) / r, (cy + (h / 2)) / r));
                    scores.Add(Enumerable.Range(0, 80).Select(c => raw[o + 4] * raw[o + 5 + c]).ToArray());
                }
            }
        }

        var result = new List<Detection>();
        for (var c = 0; c < 80; c++)
        {
            var order = Enumerable.Range(0, boxes.Count).Where(i => scores[i][c] > scoreThreshold).OrderByDescending(i => scores[i][c]).ToList();
            while (order.Count > 0)
            {
                var best = order[0];
                var b = boxes[best];
                result.Add(new Detection(
                    Math.Clamp(b.X1 / image.Width, 0, 1),
                    Math.Clamp(b.Y1 / image.Height, 0, 1),
                    Math.Clamp(b.X2 / image.Width, 0, 1) - Math.Clamp(b.X1 / image.Width, 0, 1),
                    Math.Clamp(b.Y2 / image.Height, 0, 1) - Math.Clamp(b.Y1 / image.Height, 0, 1),
                    labels[c],
                    scores[best][c]));
                order = order.Skip(1).Where(i => Iou(b, boxes[i]) <= nmsThreshold).ToList();
            }
        }

        return result;
    }

    private static float Iou((float X1, float Y1, float X2, float Y2) a, (float X1, float Y1, float X2, float Y2) b)
    {
        var w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = w * h;
        return inter / (((a.X2 - a.X1) * (a.Y2 - a.Y1)) + ((b.X2 - b.X1) * (b.Y2 - b.Y1)) - inter);
    }
}
