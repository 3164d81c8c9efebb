namespace StreamingApp.Tests.Jobs;

/// <summary>
/// Several app instances sharing one PostgreSQL queue and one data folder (each instance a full app host in this
/// process, with its own store, feed and worker): they split the work, see each other's progress, and delete
/// across instances.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobInstancesTests(PostgresServer server) : SharedQueueTests(server)
{
    private static readonly byte[] Clip = File.ReadAllBytes(TestVideo.ClipPath);

    [Fact]
    public async Task TwentyJobsSubmittedToOne_TwoInstances_AllCompleteSplitBetweenThemEachFrameOnceWithTheResultsOfOneInstance()
    {
        const int jobs = 20;
        const int framesPerJob = 10;
        var reference = await SingleInstanceResultsAsync();
        await using var a = Instance("a");
        await using var b = Instance("b");
        using var client = a.CreateClient();
        b.CreateClient().Dispose();

        var ids = new List<string>();
        for (var i = 0; i < jobs; i++)
        {
            ids.Add(await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=pixels&frame_stride=4"));
        }

        var done = new List<JobRecord>();
        foreach (var id in ids)
        {
            done.Add(await JobTestClient.WaitForAsync(a, id, JobStatus.Completed));
        }

        Assert.All(done, job => Assert.Equal(JobStatus.Completed, job.Status));
        Assert.Equal(["a", "b"], done.Select(j => j.ProcessedBy).Distinct().Order());
        Assert.Equal(jobs * framesPerJob, a.FramesProcessed + b.FramesProcessed);
        foreach (var id in ids)
        {
            Assert.Equal(reference, await ResultsAsync(client, id));
        }
    }

    [Fact]
    public async Task JobRunningOnOneInstance_TheOthersFeed_HearsItsProgressAsItHappens()
    {
        await using var a = Instance("a");
        await using var b = Instance("b");
        a.FrameDelay = b.FrameDelay = TimeSpan.FromMilliseconds(30);
        using var client = a.CreateClient();
        b.CreateClient().Dispose();
        var heardByA = new WaitableQueue<JobRecord>();
        var heardByB = new WaitableQueue<JobRecord>();
        using var subscriptionA = a.Services.GetRequiredService<IJobChangeFeed>().Subscribe(c => Keep(heardByA, c));
        using var subscriptionB = b.Services.GetRequiredService<IJobChangeFeed>().Subscribe(c => Keep(heardByB, c));

        var id = await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=fake");
        var done = await JobTestClient.WaitForAsync(a, id, JobStatus.Completed);

        // Whichever instance ran it, the other heard the steps of its progress, not only the end (which reaches it
        // through PostgreSQL, possibly after the instance that ran it has finished).
        var other = done.ProcessedBy == "a" ? heardByB : heardByA;
        await other.WaitForAsync(j => j.Id == id && j.Status == JobStatus.Completed);
        var progress = other.Where(j => j.Id == id && j.Status == JobStatus.Running).Select(j => j.Progress).ToList();
        Assert.True(progress.Distinct().Count() >= 5, "progress heard: " + string.Join(",", progress));
        Assert.Equal(progress.Order(), progress);
    }

    [Fact]
    public async Task DeleteOnOneInstance_JobRunningOnTheOther_StopsThereAndAllOfItIsGone()
    {
        await using var a = Instance("a");
        await using var b = Instance("b");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var doomed = await JobTestClient.SubmitAsync(clientA, Clip, "pipeline_id=gated");
        var running = await JobTestClient.WaitForAsync(a, doomed, JobStatus.Running);
        var (runner, other, otherClient) = running.ProcessedBy == "a" ? (a, b, clientB) : (b, a, clientA);
        // Keep the other instance's worker busy, so the job after the delete can only run where the deleted one ran.
        var blocker = await JobTestClient.SubmitAsync(otherClient, Clip, "pipeline_id=gated");
        await JobTestClient.WaitForAsync(a, blocker, JobStatus.Running);

        using var deleted = await otherClient.DeleteAsync("/v1/jobs/" + doomed);
        runner.Gate.Set();
        var next = await JobTestClient.SubmitAsync(otherClient, Clip, "pipeline_id=fake&frame_stride=10");
        var done = await JobTestClient.WaitForAsync(a, next, JobStatus.Completed);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.GetAsync("/v1/video/status/" + doomed)).StatusCode);
        Assert.False(File.Exists(Path.Combine(Data.Path, "uploads", doomed + ".mp4")));
        Assert.Equal(running.ProcessedBy, done.ProcessedBy);
        // The next job's four frames, and at most the one frame the deleted job had in flight: it went no further.
        Assert.InRange(runner.FramesProcessed, 4, 4 + 1);
        Assert.Equal(0, other.FramesProcessed);
    }

    private JobsAppFactory Instance(string name) => new(Data.Path, settings: new Dictionary<string, string?>
    {
        ["Jobs:Store"] = "postgres",
        ["ConnectionStrings:Jobs"] = ConnectionString,
        ["Jobs:InstanceName"] = name,
    })
    {
        FrameDelay = TimeSpan.FromMilliseconds(5),
    };

    private static void Keep(WaitableQueue<JobRecord> heard, JobChange change)
    {
        if (change.Job is { } job)
        {
            heard.Add(job);
        }
    }

    /// <summary>The same job on one instance with its own SQLite store: what the shared queue must reproduce.</summary>
    private static async Task<string> SingleInstanceResultsAsync()
    {
        await using var single = new JobsAppFactory();
        using var client = single.CreateClient();
        var id = await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=pixels&frame_stride=4");
        await JobTestClient.WaitForAsync(single, id, JobStatus.Completed);
        return await ResultsAsync(client, id);
    }

    private static async Task<string> ResultsAsync(HttpClient client, string id)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/video/results/" + id));
        return json.RootElement.GetProperty("results").GetRawText() + json.RootElement.GetProperty("summary").GetRawText();
    }
}
