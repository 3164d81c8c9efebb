using StreamingApp.Core.Inference.Yolox;

namespace StreamingApp.Tests.Inference.Yolox;

/// <summary>
/// The fast path (TurboJPEG with FASTDCT/FASTUPSAMPLE, optimized letterbox, pooled decode + NMS) against a plain
/// reference of YOLOX's ONNX demo on an independent full-resolution decode (ffmpeg): same labels and IoU ≥ 0.8
/// for every detection scoring ≥ 0.5, both ways.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class YoloxAgreementTests(Models models)
{
    private const float Confident = 0.5f;
    private const float MinIou = 0.8f;

    [Theory]
    [InlineData("000000001584.jpg")]
    [InlineData("000000002431.jpg")]
    [InlineData("000000001532.jpg")]
    [InlineData("000000001000.jpg")]
    [InlineData("000000000632.jpg")]
    [InlineData("000000001296.jpg")]
    [InlineData("000000001993.jpg")]
    [InlineData("000000002153.jpg")]
    public void Detect_FastPath_AgreesWithYoloxDemoReference(string photo)
    {
        var path = TestPaths.CocoImage(photo);
        using var frame = models.Decoder.Decode(File.ReadAllBytes(path), models.Yolox.InputSize);
        using var independent = Ffmpeg.DecodeBgr(path, frame.Width, frame.Height);
        var reference = ReferenceYolox.Detect(models.Sessions.GetSession(YoloxDetector.ModelName), models.Yolox.Labels, independent);

        var fast = models.Yolox.Detect(frame, YoloxSettings.Default, InferenceSlot.Standalone(1), out _);

        Assert.Contains(reference, d => d.Score >= Confident);
        AssertEachConfidentHasMatch(reference, fast, "reference", "fast path");
        AssertEachConfidentHasMatch(fast, reference, "fast path", "reference");
    }

    private static void AssertEachConfidentHasMatch(IReadOnlyList<Detection> from, IReadOnlyList<Detection> to, string fromName, string toName)
    {
        foreach (var d in from)
        {
            if (d.Score < Confident)
            {
                continue;
            }

            var best = 0f;
            foreach (var other in to)
            {
                if (other.Label == d.Label)
                {
                    best = MathF.Max(best, BoxAssert.Iou(d, other));
                }
            }

            Assert.True(best >= MinIou, $"{fromName} {d} has no {toName} match (best IoU {best:F2}); {toName}: {string.Join("; ", to)}");
        }
    }
}
