using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Jobs.Sqlite;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

public sealed class JobProcessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly JobDataFolder _folder;
    private readonly JobChangeSubscribers _changes = new();
    private readonly SqliteJobStore _store;
    private readonly JobOptions _options = new() { CheckpointFrames = 100, ProgressMinInterval = TimeSpan.Zero };
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
        var database = new SqliteJobDatabase(_folder.DatabasePath);
        new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
        _store = new SqliteJobStore(database, _changes, TimeProvider.System);
        var catalog = new Mock<IPipelineCatalog>();
        IFramePipeline? found = _pipeline.Object;
        catalog.Setup(c => c.TryGet("fake", out found)).Returns(true);
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Returns(new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "dog", 0.9f)], null));
        _processor = new JobProcessor(_store, catalog.Object, _scheduler, new FfmpegVideoDecoder(), _folder, new JobMetrics(_meters.Object),
            Options.Create(_options), TimeProvider.System, NullLogger<JobProcessor>.Instance);
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

        var done = await _store.GetAsync(job.Job.Id, null, default);
        var results = await _store.ReadResultsAsync(job.Job.Id, null, default).ToListAsync();
        var summary = await _store.GetSummaryAsync(job.Job.Id, null, default);
        Assert.Equal((JobStatus.Completed, 100, 8), (done!.Status, done.Progress, done.FramesTotal));
        Assert.Equal([0, 5, 10, 15, 20, 25, 30, 35], results.Select(f => f.FrameIndex));
        Assert.Equal(3000, results[3].TimestampMs);
        Assert.Equal("""{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"dog","score":0.9}]}""", results[0].ResultJson);
        Assert.Equal(8, framesCounted);
        Assert.Equal((8, 8, 8), (summary!.Frames, summary.Detections, summary.Labels["dog"]));
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
        using var subscription = _changes.Subscribe(change => seen.Add(change.Job!));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        await _processor.RunAsync(job, default);

        var progress = seen.Where(j => j.Id == job.Job.Id && j.Status == JobStatus.Running).Select(j => j.Progress).ToList();
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

        var failed = await _store.GetAsync(job.Job.Id, null, default);
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

        var failed = await _store.GetAsync(job.Job.Id, null, default);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.StartsWith("The file is not a readable video", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownPipeline_JobFails()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1, pipeline: "gone");

        await _processor.RunAsync(job, default);

        Assert.Equal("The pipeline 'gone' is not available.", (await _store.GetAsync(job.Job.Id, null, default))!.Error);
    }

    [Fact]
    public async Task RunAsync_CancelledThenResumed_EachFrameProcessedOnceAndTheResultsOfOneRun()
    {
        _options.CheckpointFrames = 3;
        var reference = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 2);
        await _processor.RunAsync(reference, default);
        using var cts = new CancellationTokenSource();
        var frames = 0;
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(() =>
            {
                // Checkpoints at 3 and 6; frames 7 and 8 are only committed by the stop.
                if (++frames == 8)
                {
                    cts.Cancel();
                }
            })
            .Returns(new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "dog", 0.9f)], null));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _processor.RunAsync(job, cts.Token));
        var stopped = await _store.GetAsync(job.Job.Id, null, default);
        await _store.ReleaseAsync(job.Lease, default);
        var resumed = (await _store.TryClaimNextAsync(Request, default))!;
        await _processor.RunAsync(resumed, default);

        Assert.Equal((JobStatus.Running, 8), (stopped!.Status, stopped.FramesDone));
        Assert.Equal((job.Job.Id, 8), (resumed.Job.Id, resumed.ResumeAt));
        Assert.Equal(20, frames);
        Assert.Equal(
            await _store.ReadResultsAsync(reference.Job.Id, null, default).ToListAsync(),
            await _store.ReadResultsAsync(job.Job.Id, null, default).ToListAsync());
        Assert.Equal(20, (await _store.GetSummaryAsync(job.Job.Id, null, default))!.Labels["dog"]);
    }

    [Fact]
    public async Task RunAsync_JobDeletedWhileRunning_StopsWithoutWriting()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(() => _store.DeleteAsync(job.Job.Id, null, default).GetAwaiter().GetResult())
            .Returns(new FrameResult([], null));

        await _processor.RunAsync(job, default);

        Assert.Null(await _store.GetAsync(job.Job.Id, null, default));
        _pipeline.Verify(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny), Times.Once);
    }

    private static JobClaimRequest Request => new("test", TimeSpan.FromMinutes(5), 3);

    private async Task<JobClaim> SubmitAndClaimAsync(string video, int stride, string pipeline = "fake")
    {
        var id = Guid.NewGuid();
        File.Copy(video, _folder.UploadPath(id));
        await _store.CreateAsync(new NewJob(id.ToString("D"), pipeline, stride, null, "clip.mp4", new FileInfo(video).Length), default);
        return (await _store.TryClaimNextAsync(Request, default))!;
    }

    private delegate void ProcessCallback(BgrImage frame, InferenceSlot slot, out StageTimings timings);
}
