using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using StreamingApp.Core.Jobs;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

public sealed class JobStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private string DbPath => Path.Combine(_dir.Path, "jobs.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_NewFile_CreatesSchemaInWalMode()
    {
        var store = new JobStore(DbPath, _time);

        Assert.Equal(1, store.SchemaVersion);
        using var connection = new SqliteConnection("Data Source=" + DbPath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('jobs', 'job_results')";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Constructor_ExistingFile_KeepsJobs()
    {
        await new JobStore(DbPath, _time).CreateAsync(NewJob("a"), default);

        var reopened = new JobStore(DbPath, _time);

        Assert.Equal(1, reopened.SchemaVersion);
        Assert.NotNull(await reopened.GetAsync("a", default));
    }

    [Fact]
    public async Task CreateAsync_NewJob_IsPendingWithTimes()
    {
        var store = new JobStore(DbPath, _time);

        var job = await store.CreateAsync(NewJob("a") with { MaxFrames = 7, FrameStride = 3 }, default);

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(0, job.Progress);
        Assert.Equal(3, job.FrameStride);
        Assert.Equal(7, job.MaxFrames);
        Assert.Equal(_time.GetUtcNow(), job.CreatedAt);
        Assert.Equal(job, await store.GetAsync("a", default));
    }

    [Fact]
    public async Task TryClaimNextAsync_SeveralPending_ClaimsOldestFirst()
    {
        var store = new JobStore(DbPath, _time);
        await store.CreateAsync(NewJob("first"), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync(NewJob("second"), default);

        var a = await store.TryClaimNextAsync(default);
        var b = await store.TryClaimNextAsync(default);
        var none = await store.TryClaimNextAsync(default);

        Assert.Equal(("first", JobStatus.Running, 1), (a!.Id, a.Status, a.Attempts));
        Assert.Equal("second", b!.Id);
        Assert.Null(none);
    }

    [Fact]
    public async Task TryClaimNextAsync_TwoStoresOnSameFileConcurrently_NeverClaimSameJob()
    {
        var setup = new JobStore(DbPath, _time);
        const int jobCount = 60;
        for (var i = 0; i < jobCount; i++)
        {
            await setup.CreateAsync(NewJob("job" + i), default);
        }

        var stores = new[] { new JobStore(DbPath, _time), new JobStore(DbPath, _time) };
        var claimed = new ConcurrentBag<string>();

        // Four workers over two connections pools each, racing until the queue is empty.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (await stores[w % 2].TryClaimNextAsync(default) is { } job)
            {
                claimed.Add(job.Id);
            }
        })));

        Assert.Equal(jobCount, claimed.Count);
        Assert.Equal(jobCount, claimed.Distinct().Count());
    }

    [Fact]
    public async Task RecoverInterruptedAsync_RunningJobs_BackToPendingOrFailedAfterMaxAttempts()
    {
        var store = new JobStore(DbPath, _time);
        await store.CreateAsync(NewJob("a"), default);
        await store.TryClaimNextAsync(default);
        await store.UpdateProgressAsync("a", 5, 50, default);

        var recovered = await store.RecoverInterruptedAsync(maxAttempts: 2, default);
        var afterFirst = await store.GetAsync("a", default);
        await store.TryClaimNextAsync(default);
        await store.RecoverInterruptedAsync(maxAttempts: 2, default);
        var afterSecond = await store.GetAsync("a", default);

        Assert.Equal(1, recovered);
        Assert.Equal((JobStatus.Pending, 0), (afterFirst!.Status, afterFirst.Progress));
        Assert.Equal(JobStatus.Failed, afterSecond!.Status);
        Assert.Contains("interrupted 2 times", afterSecond.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateProgressAsync_BelowCompletion_NeverReports100()
    {
        var store = new JobStore(DbPath, _time);
        await store.CreateAsync(NewJob("a"), default);
        await store.TryClaimNextAsync(default);

        await store.UpdateProgressAsync("a", 10, 100, default);

        Assert.Equal(99, (await store.GetAsync("a", default))!.Progress);
    }

    [Fact]
    public async Task CompleteAsync_Results_StoredWithSummaryAndProgress100()
    {
        var store = new JobStore(DbPath, _time);
        await store.CreateAsync(NewJob("a"), default);
        await store.TryClaimNextAsync(default);
        var results = new[] { new JobFrameResult(0, 0, """{"detections":[]}"""), new JobFrameResult(2, 400, """{"detections":[]}""") };
        var summary = new JobSummary(2, 3, new Dictionary<string, int> { ["dog"] = 3 });

        var before = await store.GetResultsAsync("a", default);
        var ok = await store.CompleteAsync("a", results, summary, default);
        var after = await store.GetResultsAsync("a", default);

        Assert.Null(before);
        Assert.True(ok);
        Assert.Equal(results, after!.Value.Frames);
        Assert.Equal(3, after.Value.Summary.Labels["dog"]);
        var job = await store.GetAsync("a", default);
        Assert.Equal((JobStatus.Completed, 100, 2), (job!.Status, job.Progress, job.FramesDone));
    }

    [Fact]
    public async Task CompleteAsync_JobNoLongerRunning_WritesNothing()
    {
        var store = new JobStore(DbPath, _time);
        await store.CreateAsync(NewJob("a"), default);

        var ok = await store.CompleteAsync("a", [new JobFrameResult(0, 0, "{}")], new JobSummary(1, 0, new Dictionary<string, int>()), default);

        Assert.False(ok);
        Assert.Equal(JobStatus.Pending, (await store.GetAsync("a", default))!.Status);
        Assert.Null(await store.GetResultsAsync("a", default));
    }

    [Fact]
    public async Task ListAsync_Paged_NewestFirstWithTotalCount()
    {
        var store = new JobStore(DbPath, _time);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await store.CreateAsync(NewJob(id), default);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var (jobs, count) = await store.ListAsync(limit: 2, skip: 1, default);

        Assert.Equal(3, count);
        Assert.Equal(["b", "a"], jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task CreateAsync_WithNotifier_PublishesChange()
    {
        var notifier = new JobChangeNotifier();
        var seen = new List<JobRecord>();
        notifier.Changed += seen.Add;
        var store = new JobStore(DbPath, _time, notifier);

        await store.CreateAsync(NewJob("a"), default);
        await store.TryClaimNextAsync(default);

        Assert.Equal([JobStatus.Pending, JobStatus.Running], seen.Select(j => j.Status));
    }

    private static NewJob NewJob(string id) => new(id, "yolo", 1, null, "clip.mp4", 1234);
}
