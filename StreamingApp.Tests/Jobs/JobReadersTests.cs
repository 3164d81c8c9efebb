using System.Collections.Concurrent;
using System.Diagnostics;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// Many clients reading the job list never hold up the worker writing a job's progress (real SQLite file). Each
/// reader asks again 200 ms after its answer — 200 of them are up to 1,000 requests a second, a storm, while not
/// simply burning the two cores the worker shares with them in this process.
/// </summary>
[Collection(JobReadersTests.Alone)]
public sealed class JobReadersTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Its own collection, run apart from the others: 200 readers would starve tests running beside it.</summary>
    public const string Alone = "Job readers storm";

    private const int Readers = 200;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task List_200ConcurrentReadersWhileAJobRuns_AllAnsweredAndProgressKeepsRising()
    {
        await using var app = new JobsAppFactory(_dir.Path, settings: new Dictionary<string, string?> { ["Jobs:CheckpointFrames"] = "10" })
        {
            FrameDelay = TimeSpan.FromMilliseconds(60),
        };
        using var client = app.CreateClient();
        var progress = new ConcurrentQueue<(TimeSpan At, int Progress)>();
        var clock = Stopwatch.StartNew();
        using var subscription = app.Services.GetRequiredService<IJobChangeFeed>().Subscribe(change =>
        {
            if (change.Job is { Status: JobStatus.Running } job)
            {
                progress.Enqueue((clock.Elapsed, job.Progress));
            }
        });
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var answered = new int[Readers];
        var readers = Enumerable.Range(0, Readers).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("/v1/jobs?limit=20");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                answered[i]++;
                await Task.Delay(200);
            }
        })).ToList();

        var jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=fake&frame_stride=2");
        // A hang guard sized for a machine busy with other work too: the assertions below are about order, not speed.
        var done = await JobTestClient.WaitForAsync(app, jobId, job => job.IsFinished, TimeSpan.FromMinutes(4));
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var steps = progress.ToList();
        var longestGap = steps.Zip(steps.Skip(1), (a, b) => b.At - a.At).DefaultIfEmpty().Max();
        output.WriteLine($"{answered.Sum()} list requests by {Readers} readers; {steps.Count} progress writes; longest gap {longestGap.TotalMilliseconds:F0} ms");
        Assert.Empty(failures);
        Assert.All(answered, n => Assert.True(n > 0));
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.True(steps.Count >= 10, $"progress was written {steps.Count} times");
        Assert.Equal(steps.Select(s => s.Progress).Order(), steps.Select(s => s.Progress));
    }
}

[CollectionDefinition(JobReadersTests.Alone, DisableParallelization = true)]
public sealed class JobReadersCollection;
