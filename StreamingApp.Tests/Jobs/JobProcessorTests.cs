using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

public sealed class JobProcessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly JobDataFolder _folder;
    private readonly JobChangeNotifier _notifier = new();
    private readonly JobStore _store;
    private readonly Mock<IFramePipeline> _pipeline = new();
    private readonly InferenceScheduler _scheduler = new(1);
    private readonly Mock<IMeterFactory> _meters = new();
    private readonly List<Meter> _created = [];
    private readonly JobProcessor _processor;

    public JobProcessorTests()
    {
        _meters.Setup(m => m.Create(It.IsAny<MeterOptions>())).Returns((MeterOptions o) =>
        {
            var meter = new Meter(o.Name);
            _created.Add(meter);
            return meter;
        });
        _folder = new JobDataFolder(_dir.Path);
        _store = new JobStore(_folder.DatabasePath, TimeProvider.System, _notifier);
        var catalog = new Mock<IPipelineCatalog>();
        IFramePipeline? found = _pipeline.Object;
        catalog.Setup(c => c.TryGet("fake", out found)).Returns(true);
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Returns(new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "dog", 0.9f)], null));
        _processor = new JobProcessor(_store, catalog.Object, _scheduler, new FfmpegVideoDecoder(), _folder, new JobMetrics(_meters.Object),
            Options.Create(new JobOptions()), TimeProvider.System, NullLogger<JobProcessor>.Instance);
    }

    public void Dispose()
    {
        _created.ForEach(m => m.Dispose());
        _dir.Dispose();
    }

    [Fact]
    public async Task RunAsync_TestClipWithStride_CompletesWithOneResultPerSelectedFrame()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 5);
        long framesCounted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (_created.Contains(instrument.Meter) && instrument.Name == "jobs.frames")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref framesCounted, value));
        listener.Start();

        await _processor.RunAsync(job, default);

        var done = await _store.GetAsync(job.Id, default);
        var results = await _store.GetResultsAsync(job.Id, default);
        Assert.Equal((JobStatus.Completed, 100, 8), (done!.Status, done.Progress, done.FramesTotal));
        Assert.Equal([0, 5, 10, 15, 20, 25, 30, 35], results!.Value.Frames.Select(f => f.FrameIndex));
        Assert.Equal(3000, results.Value.Frames[3].TimestampMs);
        Assert.Equal("""{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"dog","score":0.9}]}""", results.Value.Frames[0].ResultJson);
        Assert.Equal(8, framesCounted);
        Assert.Equal((8, 8, 8), (results.Value.Summary.Frames, results.Value.Summary.Detections, results.Value.Summary.Labels["dog"]));
    }

    [Fact]
    public async Task RunAsync_EveryFrame_RunsInABackgroundInferenceSlot()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 10);
        var slots = new List<(InferencePriority Priority, bool Ready)>();
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(new ProcessCallback((BgrImage _, InferenceSlot slot, out StageTimings timings) =>
            {
                slots.Add((slot.Priority, slot.IsReady));
                timings = default;
            }))
            .Returns(new FrameResult([], null));

        await _processor.RunAsync(job, default);

        Assert.Equal(Enumerable.Repeat((InferencePriority.Background, true), 4), slots);
        Assert.Equal(0, _scheduler.Load.FramesInWork);
    }

    [Fact]
    public async Task RunAsync_Progress_RisesAndReaches100OnlyWhenCompleted()
    {
        var seen = new List<JobRecord>();
        _notifier.Changed += seen.Add;
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        await _processor.RunAsync(job, default);

        var progress = seen.Where(j => j.Id == job.Id && j.Status == JobStatus.Running).Select(j => j.Progress).ToList();
        Assert.True(progress.Count > 5);
        Assert.Equal(progress.Order(), progress);
        Assert.All(progress, p => Assert.InRange(p, 0, 99));
        Assert.Equal((JobStatus.Completed, 100), (seen[^1].Status, seen[^1].Progress));
    }

    [Fact]
    public async Task RunAsync_PipelineThrows_JobFailsWithFrameAndReason()
    {
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny)).Throws(new InvalidOperationException("model exploded"));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        await _processor.RunAsync(job, default);

        var failed = await _store.GetAsync(job.Id, default);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Equal("The pipeline failed on frame 0: model exploded", failed.Error);
    }

    [Fact]
    public async Task RunAsync_CorruptVideo_JobFailsWithReadableMessage()
    {
        var bad = Path.Combine(_dir.Path, "bad.mp4");
        await File.WriteAllBytesAsync(bad, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', .. new byte[2048]]);
        var job = await SubmitAndClaimAsync(bad, stride: 1);

        await _processor.RunAsync(job, default);

        var failed = await _store.GetAsync(job.Id, default);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.StartsWith("The file is not a readable video", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownPipeline_JobFails()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1, pipeline: "gone");

        await _processor.RunAsync(job, default);

        Assert.Equal("The pipeline 'gone' is not available.", (await _store.GetAsync(job.Id, default))!.Error);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsAndLeavesJobRunning()
    {
        using var cts = new CancellationTokenSource();
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(cts.Cancel)
            .Returns(new FrameResult([], null));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _processor.RunAsync(job, cts.Token));

        Assert.Equal(JobStatus.Running, (await _store.GetAsync(job.Id, default))!.Status);
    }

    private async Task<JobRecord> SubmitAndClaimAsync(string video, int stride, string pipeline = "fake")
    {
        var id = Guid.NewGuid();
        File.Copy(video, _folder.UploadPath(id));
        await _store.CreateAsync(new NewJob(id.ToString("D"), pipeline, stride, null, "clip.mp4", new FileInfo(video).Length), default);
        return (await _store.TryClaimNextAsync(default))!;
    }

    private delegate void ProcessCallback(BgrImage frame, InferenceSlot slot, out StageTimings timings);
}
