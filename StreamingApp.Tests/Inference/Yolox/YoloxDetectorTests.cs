using StreamingApp.Core.Inference.Yolox;

namespace StreamingApp.Tests.Inference.Yolox;

[Collection(ModelsCollection.Name)]
public sealed class YoloxDetectorTests(Models models)
{
    private IReadOnlyList<StreamingApp.Core.Pipelines.Detection> Detect(string photo, YoloxSettings? settings = null)
    {
        using var frame = models.DecodeCoco(photo, models.Yolox.InputSize);
        return models.Yolox.Detect(frame, settings ?? YoloxSettings.Default, InferenceSlot.Standalone(1), out _);
    }

    [Fact]
    public void Detect_LondonBusPhoto_FindsTheBusAndAPedestrian()
    {
        var detections = Detect("000000001584.jpg");

        var bus = BoxAssert.HasDetection(detections, "bus", 0.215f, 0.139f, 0.644f, 0.738f, minIou: 0.9f);
        Assert.True(bus.Score > 0.9f);
        BoxAssert.HasDetection(detections, "person", 0.127f, 0.615f, 0.035f, 0.089f, minIou: 0.6f);
    }

    [Fact]
    public void Detect_TablePhoto_FindsWineGlassCupsAndDiningTable()
    {
        var detections = Detect("000000002431.jpg");

        BoxAssert.HasDetection(detections, "wine glass", 0.654f, 0.0f, 0.285f, 0.331f);
        BoxAssert.HasDetection(detections, "cup", 0.401f, 0.626f, 0.445f, 0.356f);
        BoxAssert.HasDetection(detections, "dining table", 0.0f, 0.116f, 0.994f, 0.872f);
    }

    [Fact]
    public void Detect_MotorwayPhoto_FindsCarsAndTheWhiteVanAsTruck()
    {
        var detections = Detect("000000001532.jpg");

        BoxAssert.HasDetection(detections, "car", 0.352f, 0.752f, 0.298f, 0.246f); // the SUV ahead
        BoxAssert.HasDetection(detections, "car", 0.0f, 0.789f, 0.178f, 0.205f); // the taxi on the left
        BoxAssert.HasDetection(detections, "truck", 0.164f, 0.778f, 0.124f, 0.131f, minIou: 0.7f); // the white van
    }

    [Fact]
    public void Detect_BowlOfOranges_OverlappingBoxesOfDifferentClassesAreBothKept()
    {
        var detections = Detect("000000005600.jpg");

        // NMS is per class: the oranges fill the bowl, so their box overlaps the bowl's far past the NMS threshold.
        var bowl = BoxAssert.HasDetection(detections, "bowl", 0.327f, 0.372f, 0.534f, 0.628f);
        var oranges = BoxAssert.HasDetection(detections, "orange", 0.355f, 0.405f, 0.500f, 0.590f);
        Assert.True(BoxAssert.Iou(bowl, oranges) > YoloxSettings.DefaultNmsThreshold);
    }

    [Fact]
    public void Detect_GroupPhoto_FindsManyPeople()
    {
        var detections = Detect("000000001000.jpg");

        var people = detections.Count(d => d.Label == "person" && d.Score >= 0.5f);
        Assert.InRange(people, 8, 14);
    }

    [Fact]
    public void Detect_AnyPhoto_BoxesAreNormalizedInsideTheFrame()
    {
        foreach (var photo in new[] { "000000001584.jpg", "000000002431.jpg", "000000001000.jpg", "000000000285.jpg" })
        {
            var detections = Detect(photo);

            Assert.NotEmpty(detections);
            Assert.All(detections, d =>
            {
                Assert.InRange(d.X, 0f, 1f);
                Assert.InRange(d.Y, 0f, 1f);
                Assert.InRange(d.X + d.W, 0f, 1.0001f);
                Assert.InRange(d.Y + d.H, 0f, 1.0001f);
                Assert.True(d.W > 0 && d.H > 0);
                Assert.InRange(d.Score, 0.30f, 1f);
            });
        }
    }

    [Fact]
    public void Detect_HigherScoreThreshold_KeepsOnlyConfidentDetections()
    {
        var detections = Detect("000000001000.jpg", new YoloxSettings(ScoreThreshold: 0.8f));

        Assert.NotEmpty(detections);
        Assert.All(detections, d => Assert.True(d.Score >= 0.8f));
    }

    [Fact]
    public void Detect_UniformGrayFrame_FindsNothing()
    {
        using var frame = BgrImage.Rent(640, 480);
        frame.Pixels.Fill(128);

        var detections = models.Yolox.Detect(frame, YoloxSettings.Default, InferenceSlot.Standalone(1), out var timings);

        Assert.Empty(detections);
        Assert.True(timings.InferenceMs > 0);
    }

    [Fact]
    public void Detect_ConcurrentCalls_GiveTheSameResultAsSequential()
    {
        var expected = Detect("000000001584.jpg");

        var results = new IReadOnlyList<StreamingApp.Core.Pipelines.Detection>[6];
        Parallel.For(0, results.Length, i => results[i] = Detect("000000001584.jpg"));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Detect_MachineIdle_RunBorrowsTheIdleCoreAndFindsTheSameObjects()
    {
        var scheduler = new InferenceScheduler(2);
        using var slot = scheduler.Enqueue(InferencePriority.Interactive);
        using var frame = models.DecodeCoco("000000001584.jpg", models.Yolox.InputSize);
        var oneThread = Detect("000000001584.jpg");

        var twoThreads = models.Yolox.Detect(frame, YoloxSettings.Default, slot, out _);

        Assert.Equal((0, 1), (scheduler.RunsWithThreads(1), scheduler.RunsWithThreads(2)));
        Assert.Equal(1, scheduler.Load.BusyThreads); // the borrowed core went back with the run
        Assert.Contains(twoThreads, d => d.Label == "bus");
        foreach (var (from, to) in new[] { (oneThread, twoThreads), (twoThreads, oneThread) })
        {
            foreach (var d in from.Where(d => d.Score >= 0.5f))
            {
                BoxAssert.HasDetection(to, d.Label, d.X, d.Y, d.W, d.H, minIou: 0.95f);
            }
        }
    }

    [Fact]
    public void Detect_EveryCoreHeldByAFrame_RunsOnOneThread()
    {
        var scheduler = new InferenceScheduler(2);
        using var other = scheduler.Enqueue(InferencePriority.Interactive);
        using var slot = scheduler.Enqueue(InferencePriority.Interactive);
        using var frame = models.DecodeCoco("000000001584.jpg", models.Yolox.InputSize);

        models.Yolox.Detect(frame, YoloxSettings.Default, slot, out _);

        Assert.Equal((1, 0), (scheduler.RunsWithThreads(1), scheduler.RunsWithThreads(2)));
        Assert.Equal(2, scheduler.Load.PeakBusyThreads);
    }
}
