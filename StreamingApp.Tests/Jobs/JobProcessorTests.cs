using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StreamingApp.Core.Jobs.Sqlite;
using StreamingApp.Core.Telemetry;

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
    private readonly CapturingLoggerProvider _logs = new();
    private JobProcessor _processor;

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
        _pipeline.Setup(p => p.Definition).Returns(new PipelineDefinition("fake", "fake", "scripted test pipeline", [], null));
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Returns(new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "dog", 0.9f)], null));
        _processor = Processor(_options, TimeProvider.System);
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

        var error = await RunToFailureAsync(job);

        Assert.Equal("The pipeline failed on frame 0.", error);
        Assert.Equal("model exploded", FailureLog(job).Exception!.Message);
    }

    [Fact]
    public async Task RunAsync_CorruptVideo_JobErrorIsASentenceAndTheLogHasFfprobesWords()
    {
        var bad = Path.Combine(_dir.Path, "bad.mp4");
        await File.WriteAllBytesAsync(bad, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', .. new byte[2048]]);
        var job = await SubmitAndClaimAsync(bad, stride: 1);

        var error = await RunToFailureAsync(job);

        Assert.Equal("The file is not a readable MP4 video.", error);
        // What ffprobe said names the upload's path: in the log, not in the job.
        Assert.Contains(_folder.UploadPath(Guid.Parse(job.Job.Id)), FailureLog(job).Exception!.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TruncatedClip_JobErrorNamesNoPathAndNoException()
    {
        var bytes = await File.ReadAllBytesAsync(TestVideo.ClipPath);
        var cut = Path.Combine(_dir.Path, "cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var job = await SubmitAndClaimAsync(cut, stride: 1);

        var error = await RunToFailureAsync(job);

        JobTestClient.AssertPlainSentence(error);
        Assert.NotNull(FailureLog(job).Exception);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task RunAsync_FfmpegFails_JobErrorIsASentenceAndTheLogHasWhatFfmpegSaid()
    {
        // An ffmpeg that fails at once, shouting a server path, the way real ffmpeg errors name the input file.
        var ffmpeg = Path.Combine(_dir.Path, "ffmpeg.sh");
        await File.WriteAllTextAsync(ffmpeg, "#!/bin/sh\necho \"/srv/secret/uploads/x.mp4: Invalid data found when processing input\" >&2\nexit 1\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        _processor = Processor(new JobOptions(), TimeProvider.System, new FfmpegVideoDecoder(ffmpegPath: ffmpeg));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        var error = await RunToFailureAsync(job);

        Assert.Equal("The video could not be decoded before frame 0: it is damaged or in a format this server cannot read.", error);
        Assert.Contains("/srv/secret/uploads/x.mp4: Invalid data", FailureLog(job).Exception!.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FfmpegNotInstalled_JobSaysServerErrorAndTheLogHasTheException()
    {
        _processor = Processor(new JobOptions(), TimeProvider.System, new FfmpegVideoDecoder(ffprobePath: "/opt/missing/ffprobe"));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        var error = await RunToFailureAsync(job);

        Assert.Equal("Processing stopped after 0 frames because of a server error.", error);
        Assert.Contains("/opt/missing/ffprobe", FailureLog(job).Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PastMaxRunSeconds_FailsWithTheLimit()
    {
        var clock = new FakeTimeProvider();
        _processor = Processor(new JobOptions { MaxRunSeconds = 60 }, clock);
        var frames = 0;
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(() =>
            {
                // Each frame takes 10 simulated seconds: the limit passes during frame 6 of 40.
                clock.Advance(TimeSpan.FromSeconds(10));
                frames++;
            })
            .Returns(new FrameResult([], null));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        var error = await RunToFailureAsync(job);

        Assert.Equal("The job ran longer than the limit of 60 seconds and was stopped.", error);
        Assert.InRange(frames, 6, 6 + 3);
    }

    [Fact]
    public async Task RunAsync_VideoOverTheLimitsSinceSubmit_FailsNamingTheLimit()
    {
        _processor = Processor(new JobOptions { MaxVideoPixels = 640 * 480 - 1 }, TimeProvider.System);
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1);

        var error = await RunToFailureAsync(job);

        Assert.Equal("The video is 640x480 (307200 pixels), over the limit of 307199 pixels.", error);
        _pipeline.Verify(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny), Times.Never);
    }

    [Fact]
    public async Task RunAsync_PipelineFit_FramesArriveScaledDown()
    {
        var sizes = new List<(int, int)>();
        _pipeline.SetupGet(p => p.DecodeFit).Returns(new ImageSize(416, 416));
        _pipeline.Setup(p => p.Process(It.IsAny<BgrImage>(), It.IsAny<InferenceSlot>(), out It.Ref<StageTimings>.IsAny))
            .Callback(new ProcessCallback((BgrImage frame, InferenceSlot _, out StageTimings timings) =>
            {
                sizes.Add((frame.Width, frame.Height));
                timings = default;
            }))
            .Returns(new FrameResult([], null));
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 10);

        await _processor.RunAsync(job, default);

        Assert.Equal(Enumerable.Repeat((416, 312), 4), sizes);
    }

    [Fact]
    public async Task RunAsync_UnknownPipeline_JobFails()
    {
        var job = await SubmitAndClaimAsync(TestVideo.ClipPath, stride: 1, pipeline: "gone");

        var error = await RunToFailureAsync(job);

        Assert.Equal("The pipeline 'gone' is not available.", error);
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

    private JobProcessor Processor(JobOptions options, TimeProvider time, FfmpegVideoDecoder? decoder = null) =>
        new(_store, new TestPipelineCatalog(_pipeline.Object), _scheduler, decoder ?? new FfmpegVideoDecoder(), _folder, new JobMetrics(_meters.Object),
            Options.Create(options), time, new LoggerFactory([_logs]).CreateLogger<JobProcessor>());

    private async Task<JobClaim> SubmitAndClaimAsync(string video, int stride, string pipeline = "fake")
    {
        var id = Guid.NewGuid();
        File.Copy(video, _folder.UploadPath(id));
        await _store.CreateAsync(new NewJob(id.ToString("D"), pipeline, stride, null, "clip.mp4", new FileInfo(video).Length), default);
        return (await _store.TryClaimNextAsync(Request, default))!;
    }

    /// <summary>Runs the job to its end, which must be a failure; returns the job's error, what the uploader reads.</summary>
    private async Task<string?> RunToFailureAsync(JobClaim job)
    {
        await _processor.RunAsync(job, default);
        var failed = await _store.GetAsync(job.Job.Id, null, default);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        return failed.Error;
    }

    /// <summary>The one failure log line, naming the job: the exception's details go there, not into the job.</summary>
    private CapturedLog FailureLog(JobClaim job)
    {
        var log = Assert.Single(_logs.Logs, l => l.EventId == 5003);
        Assert.Equal(job.Job.Id, log.Properties["JobId"]);
        return log;
    }

    private delegate void ProcessCallback(BgrImage frame, InferenceSlot slot, out StageTimings timings);
}
