using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Jobs;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

public sealed class JobRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HostStoppedMidJob_NewHostOnSameDataFolder_CompletesTheJob()
    {
        string jobId;
        JobRecord midway;
        await using (var first = new JobsAppFactory(_dir.Path) { FrameDelay = TimeSpan.FromMilliseconds(40) })
        {
            using var client = first.CreateClient();
            jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=fake");
            midway = await JobTestClient.WaitForAsync(first, jobId, j => j.Progress >= 10);
        }

        var afterStop = await new JobStore(Path.Combine(_dir.Path, "jobs.db"), TimeProvider.System).GetAsync(jobId, default);
        await using var second = new JobsAppFactory(_dir.Path);
        using var client2 = second.CreateClient();
        var done = await JobTestClient.WaitForAsync(second, jobId, JobStatus.Completed);
        using var results = JsonDocument.Parse(await client2.GetStringAsync("/v1/video/results/" + jobId));

        Assert.Equal(JobStatus.Running, midway.Status);
        Assert.InRange(midway.Progress, 10, 99);
        Assert.Equal(JobStatus.Pending, afterStop!.Status);
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal(TestVideo.FrameCount, results.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task ProcessDiedWhileRunning_NextStart_RecoversAndCompletesTheJob()
    {
        // What a killed process leaves behind: the upload in place and its job marked running.
        var folder = new JobDataFolder(_dir.Path);
        var store = new JobStore(folder.DatabasePath, TimeProvider.System);
        var id = Guid.NewGuid();
        File.Copy(TestVideo.ClipPath, folder.UploadPath(id));
        await store.CreateAsync(new NewJob(id.ToString("D"), "fake", 4, null, "clip.mp4", 1), default);
        await store.TryClaimNextAsync(default);
        await store.UpdateProgressAsync(id.ToString("D"), 3, 30, default);

        await using var host = new JobsAppFactory(_dir.Path);
        host.CreateClient().Dispose();
        var done = await JobTestClient.WaitForAsync(host, id.ToString("D"), JobStatus.Completed);

        Assert.Equal((JobStatus.Completed, 100, 10, 2), (done.Status, done.Progress, done.FramesDone, done.Attempts));
        Assert.True(File.Exists(folder.UploadPath(id)));
    }
}
