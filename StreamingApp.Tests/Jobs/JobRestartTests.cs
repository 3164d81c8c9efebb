using StreamingApp.Core.Jobs.Sqlite;

namespace StreamingApp.Tests.Jobs;

/// <summary>Jobs outlive the process that ran them: a stop hands them back, a death lets them be taken over.</summary>
public sealed class JobRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HostStoppedMidJob_NewHostOnSameDataFolder_ResumesAfterTheCheckpointAndCompletes()
    {
        var settings = new Dictionary<string, string?> { ["Jobs:CheckpointFrames"] = "5" };
        string jobId;
        int firstHostFrames;
        await using (var first = new JobsAppFactory(_dir.Path, settings: settings) { FrameDelay = TimeSpan.FromMilliseconds(40) })
        {
            using var client = first.CreateClient();
            jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=fake");
            await JobTestClient.WaitForAsync(first, jobId, j => j.Progress >= 20);
            await first.DisposeAsync();
            firstHostFrames = first.FramesProcessed;
        }

        var afterStop = await Store().GetAsync(jobId, null, default);
        await using var second = new JobsAppFactory(_dir.Path, settings: settings);
        using var client2 = second.CreateClient();
        var done = await JobTestClient.WaitForAsync(second, jobId, JobStatus.Completed);
        using var results = JsonDocument.Parse(await client2.GetStringAsync("/v1/video/results/" + jobId));

        Assert.Equal((JobStatus.Pending, firstHostFrames), (afterStop!.Status, afterStop.FramesDone));
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(TestVideo.FrameCount - firstHostFrames, second.FramesProcessed);
        Assert.Equal(Enumerable.Range(0, TestVideo.FrameCount), results.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("frame_index").GetInt32()));
    }

    [Fact]
    public async Task ProcessDiedWhileRunning_LeaseExpires_AnotherHostTakesOverAfterTheCheckpoint()
    {
        // What a killed process leaves behind: the upload in place, its job running under a lease nobody renews, and
        // the results of its last checkpoint.
        var folder = new JobDataFolder(_dir.Path);
        var store = Store();
        var id = Guid.NewGuid();
        File.Copy(TestVideo.ClipPath, folder.UploadPath(id));
        await store.CreateAsync(new NewJob(id.ToString("D"), "fake", 4, null, "clip.mp4", 1), default);
        var dead = (await store.TryClaimNextAsync(new JobClaimRequest("dead", TimeSpan.FromSeconds(1), 3), default))!;
        await store.CheckpointAsync(dead.Lease, new JobCheckpoint(
            [new JobFrameResult(0, 0, """{"detections":[]}"""), new JobFrameResult(4, 800, """{"detections":[]}""")], 2, 20, new JobSummary(2, 0, new Dictionary<string, int>())), default);

        await using var host = new JobsAppFactory(_dir.Path, settings: new Dictionary<string, string?> { ["Jobs:InstanceName"] = "live" });
        host.CreateClient().Dispose();
        var done = await JobTestClient.WaitForAsync(host, id.ToString("D"), JobStatus.Completed);

        Assert.Equal((JobStatus.Completed, 100, 10, 2, "live"), (done.Status, done.Progress, done.FramesDone, done.Attempts, done.ProcessedBy));
        Assert.Equal(8, host.FramesProcessed);
        Assert.Equal(10, (await store.GetSummaryAsync(done.Id, null, default))!.Frames);
        Assert.True(File.Exists(folder.UploadPath(id)));
    }

    private SqliteJobStore Store()
    {
        var database = new SqliteJobDatabase(Path.Combine(_dir.Path, "jobs.db"));
        new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
        return new SqliteJobStore(database, new JobChangeSubscribers(), TimeProvider.System);
    }
}
