using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// What every <see cref="IJobStore"/> does, run once per store (<see cref="SqliteJobStoreTests"/>,
/// <see cref="PostgresJobStoreTests"/>): submissions and scoped reads, the queue (claims, leases, takeovers,
/// checkpoints), deletion, storage and the change feed.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    protected IJobStore Store { get; private set; } = null!;

    protected IJobChangeFeed Feed { get; private set; } = null!;

    /// <summary>A store, its schema migrated, and the feed its changes arrive on.</summary>
    protected abstract Task<(IJobStore Store, IJobChangeFeed Feed)> OpenAsync();

    /// <summary>Another store on the same database, as a second process or instance would have.</summary>
    protected abstract Task<IJobStore> OpenAnotherAsync();

    /// <summary>Applies the schema again, from a fresh schema object, as another instance starting would.</summary>
    protected abstract Task<int> MigrateAgainAsync();

    /// <summary>
    /// Several instances starting at once on a new, empty database: each migrates it; then a store on it creates a
    /// job. Returns the versions the instances reported.
    /// </summary>
    protected abstract Task<int[]> StartTogetherOnAnEmptyDatabaseAsync(int instances);

    public virtual async Task InitializeAsync() => (Store, Feed) = await OpenAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateAsync_NewJob_IsPendingWithTimesAndReadsBackEqual()
    {
        var job = await Store.CreateAsync(NewJob() with { MaxFrames = 7, FrameStride = 3, Owner = "alice" }, default);

        Assert.Equal((JobStatus.Pending, 0, 3, 7, "alice", null), (job.Status, job.Progress, job.FrameStride, job.MaxFrames, job.Owner, job.ProcessedBy));
        Assert.Equal(Time.GetUtcNow(), job.CreatedAt);
        Assert.Equal(job, await Store.GetAsync(job.Id, "alice", default));
    }

    [Fact]
    public async Task MigrateAsync_AgainAndConcurrently_KeepsVersionAndJobs()
    {
        var job = await Store.CreateAsync(NewJob(), default);

        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(MigrateAgainAsync)));

        Assert.Single(versions.Distinct());
        Assert.True(versions[0] >= 1);
        Assert.NotNull(await Store.GetAsync(job.Id, null, default));
    }

    [Fact]
    public async Task MigrateAsync_InstancesStartingTogetherOnAnEmptyDatabase_OneSchemaTheSameVersion()
    {
        var versions = await StartTogetherOnAnEmptyDatabaseAsync(instances: 4);

        Assert.Equal(4, versions.Length);
        Assert.Single(versions.Distinct());
        Assert.Equal(await MigrateAgainAsync(), versions[0]);
    }

    [Fact]
    public async Task Reads_ScopedToAnotherOwner_FindNothing()
    {
        var mine = await CompletedJobAsync(owner: "alice");
        await Store.CreateAsync(NewJob() with { Owner = "bob" }, default);

        Assert.Null(await Store.GetAsync(mine.Id, "bob", default));
        Assert.Null(await Store.GetSummaryAsync(mine.Id, "bob", default));
        Assert.Empty(await Store.GetResultsPageAsync(mine.Id, "bob", -1, 10, default));
        Assert.Null(await Store.DeleteAsync(mine.Id, "bob", default));
        Assert.Equal([mine.Id], (await Store.ListAsync("alice", 10, 0, default)).Jobs.Select(j => j.Id));
        Assert.Equal(2, (await Store.ListAsync(null, 10, 0, default)).Count);
        Assert.NotNull(await Store.GetAsync(mine.Id, null, default));
    }

    [Fact]
    public async Task ListAsync_Paged_NewestFirstWithTotalCount()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Store.CreateAsync(NewJob(), default)).Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await Store.ListAsync(null, limit: 2, skip: 1, default);
        var pastTheEnd = await Store.ListAsync(null, limit: 2, skip: 10, default);

        Assert.Equal(3, page.Count);
        Assert.Equal([ids[1], ids[0]], page.Jobs.Select(j => j.Id));
        Assert.Equal((0, 3), (pastTheEnd.Jobs.Count, pastTheEnd.Count));
    }

    [Fact]
    public async Task TryClaimNextAsync_SeveralPending_OldestFirstUnderANewLease()
    {
        var first = await Store.CreateAsync(NewJob(), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.CreateAsync(NewJob(), default);

        var a = await Store.TryClaimNextAsync(Request("one"), default);
        var b = await Store.TryClaimNextAsync(Request("two"), default);
        var none = await Store.TryClaimNextAsync(Request("one"), default);

        Assert.Equal((first.Id, JobStatus.Running, 1, "one"), (a!.Job.Id, a.Job.Status, a.Job.Attempts, a.Job.ProcessedBy));
        Assert.Equal((a.Job.Id, "one", Lease, 0), (a.Lease.JobId, a.Lease.Instance, a.Lease.Duration, a.ResumeAt));
        Assert.Equal(second.Id, b!.Job.Id);
        Assert.NotEqual(a.Lease.Token, b.Lease.Token);
        Assert.Null(none);
        Assert.Equal("one", (await Store.GetAsync(first.Id, null, default))!.ProcessedBy);
    }

    [Fact]
    public async Task TryClaimNextAsync_TwoStoresRacing_NeverClaimTheSameJob()
    {
        const int jobCount = 40;
        for (var i = 0; i < jobCount; i++)
        {
            await Store.CreateAsync(NewJob(), default);
        }

        IJobStore[] stores = [Store, await OpenAnotherAsync()];
        var claimed = new ConcurrentBag<string>();

        // Four workers over two stores (two connection pools), racing until the queue is empty.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (await stores[w % 2].TryClaimNextAsync(Request("w" + w), default) is { } claim)
            {
                claimed.Add(claim.Job.Id);
            }
        })));

        Assert.Equal(jobCount, claimed.Count);
        Assert.Equal(jobCount, claimed.Distinct().Count());
    }

    [Fact]
    public async Task TryClaimNextAsync_LeaseExpired_AnotherInstanceTakesOverAndTheOldLeaseIsRefused()
    {
        var dead = await ClaimedJobAsync("dead");

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        var tooEarly = await Store.TryClaimNextAsync(Request("live"), default);
        Time.Advance(TimeSpan.FromSeconds(2));
        var takeover = await Store.TryClaimNextAsync(Request("live"), default);

        Assert.Null(tooEarly);
        Assert.Equal((dead.Job.Id, 2, "live"), (takeover!.Job.Id, takeover.Job.Attempts, takeover.Job.ProcessedBy));
        Assert.False(await Store.RenewLeaseAsync(dead.Lease, default));
        Assert.False(await Store.UpdateProgressAsync(dead.Lease, 5, 50, default));
        Assert.False(await Store.CheckpointAsync(dead.Lease, Checkpoint(0, 1), default));
        Assert.False(await Store.CompleteAsync(dead.Lease, Checkpoint(0, 1), default));
        Assert.False(await Store.FailAsync(dead.Lease, "late", default));
        Assert.False(await Store.ReleaseAsync(dead.Lease, default));
        Assert.True(await Store.RenewLeaseAsync(takeover.Lease, default));
    }

    [Fact]
    public async Task RenewLeaseAsync_BeforeExpiry_KeepsTheJobFromTakeover()
    {
        var claim = await ClaimedJobAsync("live");

        Time.Advance(Lease * 2 / 3);
        var renewed = await Store.RenewLeaseAsync(claim.Lease, default);
        Time.Advance(Lease * 2 / 3);
        var other = await Store.TryClaimNextAsync(Request("other"), default);

        Assert.True(renewed);
        Assert.Null(other);
    }

    [Fact]
    public async Task CheckpointAsync_ThenTakeover_ResumesAfterCommittedFramesWithTheirTotals()
    {
        var first = await ClaimedJobAsync("dead");
        await Store.SetFramesTotalAsync(first.Lease, 10, default);
        await Store.CheckpointAsync(first.Lease, Checkpoint(0, 4), default);
        // Progress past the checkpoint is shown but not committed.
        await Store.UpdateProgressAsync(first.Lease, 6, 60, default);

        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var takeover = (await Store.TryClaimNextAsync(Request("live"), default))!;

        Assert.Equal(4, takeover.ResumeAt);
        Assert.Equal((4, 4, 4), (takeover.Committed.Frames, takeover.Committed.Detections, takeover.Committed.Labels["dog"]));
        Assert.Equal((4, 40), (takeover.Job.FramesDone, takeover.Job.Progress));
    }

    [Fact]
    public async Task CompleteAsync_AfterCheckpoints_AllResultsInFrameOrderWithSummary()
    {
        var claim = await ClaimedJobAsync("one");

        var before = await Store.GetResultsPageAsync(claim.Job.Id, null, -1, 100, default);
        Assert.True(await Store.CheckpointAsync(claim.Lease, Checkpoint(0, 3), default));
        Assert.True(await Store.CompleteAsync(claim.Lease, Checkpoint(3, 2), default));

        var job = (await Store.GetAsync(claim.Job.Id, null, default))!;
        var all = await Store.ReadResultsAsync(job.Id, null, default).ToListAsync();
        var page = await Store.GetResultsPageAsync(job.Id, null, afterFrameIndex: 1, limit: 2, default);
        Assert.Empty(before);
        Assert.Equal((JobStatus.Completed, 100, 5, "one"), (job.Status, job.Progress, job.FramesDone, job.ProcessedBy));
        Assert.Equal([0, 1, 2, 3, 4], all.Select(r => r.FrameIndex));
        Assert.Equal(Result(3), all[3]);
        Assert.Equal([2, 3], page.Select(r => r.FrameIndex));
        Assert.Equal(5, (await Store.GetSummaryAsync(job.Id, null, default))!.Labels["dog"]);
        Assert.False(await Store.CompleteAsync(claim.Lease, Checkpoint(5, 1), default));
    }

    [Fact]
    public async Task ReadResultsAsync_MoreThanOnePage_ReadsEveryResult()
    {
        var claim = await ClaimedJobAsync("one");
        var count = JobStoreExtensions.ResultsPageSize + 7;
        await Store.CompleteAsync(claim.Lease, Checkpoint(0, count), default);

        var all = await Store.ReadResultsAsync(claim.Job.Id, null, default).ToListAsync();

        Assert.Equal(Enumerable.Range(0, count), all.Select(r => r.FrameIndex));
    }

    [Fact]
    public async Task UpdateProgressAsync_BelowCompletion_NeverReports100()
    {
        var claim = await ClaimedJobAsync("one");

        await Store.UpdateProgressAsync(claim.Lease, 10, 100, default);

        Assert.Equal(99, (await Store.GetAsync(claim.Job.Id, null, default))!.Progress);
    }

    [Fact]
    public async Task FailAsync_WithCheckpoints_FailedWithErrorAndPartialResultsGone()
    {
        var claim = await ClaimedJobAsync("one");
        await Store.CheckpointAsync(claim.Lease, Checkpoint(0, 3), default);
        var withResults = await Store.GetStorageBytesAsync(default);

        var failed = await Store.FailAsync(claim.Lease, "The pipeline failed on frame 3: boom", default);

        var job = (await Store.GetAsync(claim.Job.Id, null, default))!;
        Assert.True(failed);
        Assert.Equal((JobStatus.Failed, "The pipeline failed on frame 3: boom"), (job.Status, job.Error));
        Assert.True(withResults > 1234);
        Assert.Equal(1234, await Store.GetStorageBytesAsync(default));
        Assert.Null(await Store.TryClaimNextAsync(Request("two"), default));
    }

    [Fact]
    public async Task ReleaseAsync_Running_PendingAgainKeepingCheckpointsWithoutCountingAnAttempt()
    {
        var claim = await ClaimedJobAsync("stopping");
        await Store.SetFramesTotalAsync(claim.Lease, 10, default);
        await Store.CheckpointAsync(claim.Lease, Checkpoint(0, 3), default);

        var released = await Store.ReleaseAsync(claim.Lease, default);
        var pending = (await Store.GetAsync(claim.Job.Id, null, default))!;
        var next = (await Store.TryClaimNextAsync(Request("next"), default))!;

        Assert.True(released);
        Assert.Equal((JobStatus.Pending, 0, 30), (pending.Status, pending.Attempts, pending.Progress));
        Assert.Equal((1, 3, 3), (next.Job.Attempts, next.ResumeAt, next.Committed.Frames));
    }

    [Fact]
    public async Task TryClaimNextAsync_InstanceDiedMaxAttemptsTimes_JobFailsInsteadOfRunningAgain()
    {
        var job = await Store.CreateAsync(NewJob(), default);
        for (var i = 0; i < 2; i++)
        {
            await Store.TryClaimNextAsync(Request("dies"), default);
            Time.Advance(Lease + TimeSpan.FromSeconds(1));
        }

        var claim = await Store.TryClaimNextAsync(Request("live") with { MaxAttempts = 2 }, default);

        var failed = (await Store.GetAsync(job.Id, null, default))!;
        Assert.Null(claim);
        Assert.Equal((JobStatus.Failed, "The job was interrupted 2 times and was not retried again."), (failed.Status, failed.Error));
    }

    [Fact]
    public async Task DeleteAsync_CompletedJob_RowAndResultsGone()
    {
        var job = await CompletedJobAsync(owner: null);

        var deleted = await Store.DeleteAsync(job.Id, null, default);

        Assert.Equal(job.Id, deleted!.Id);
        Assert.Null(await Store.GetAsync(job.Id, null, default));
        Assert.Empty(await Store.GetResultsPageAsync(job.Id, null, -1, 10, default));
        Assert.Equal(0, await Store.GetStorageBytesAsync(default));
        Assert.Null(await Store.DeleteAsync(job.Id, null, default));
    }

    [Fact]
    public async Task DeleteAsync_RunningJob_ItsWorkerWritesAreRefused()
    {
        var claim = await ClaimedJobAsync("one");

        await Store.DeleteAsync(claim.Job.Id, null, default);

        Assert.False(await Store.RenewLeaseAsync(claim.Lease, default));
        Assert.False(await Store.CheckpointAsync(claim.Lease, Checkpoint(0, 2), default));
        Assert.Empty(await Store.GetResultsPageAsync(claim.Job.Id, null, -1, 10, default));
    }

    [Fact]
    public async Task GetStorageBytesAsync_UploadsAndResults_SumOfBoth()
    {
        await Store.CreateAsync(NewJob() with { FileSize = 1000 }, default);
        await Store.CreateAsync(NewJob() with { FileSize = 500 }, default);
        var claim = (await Store.TryClaimNextAsync(Request("one"), default))!;
        var checkpoint = Checkpoint(0, 2);

        await Store.CheckpointAsync(claim.Lease, checkpoint, default);

        Assert.Equal(1500 + checkpoint.Results.Sum(r => System.Text.Encoding.UTF8.GetByteCount(r.ResultJson)), await Store.GetStorageBytesAsync(default));
    }

    [Fact]
    public async Task ListFinishedBeforeAsync_MixedJobs_OnlyFinishedOnesOlderThanTheCut()
    {
        var finished = await CompletedJobAsync(owner: null);
        await Store.CreateAsync(NewJob(), default);
        Time.Advance(TimeSpan.FromDays(8));

        var before = await Store.ListFinishedBeforeAsync(finished.CreatedAt - TimeSpan.FromMilliseconds(1), 10, default);
        var after = await Store.ListFinishedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromDays(7), 10, default);

        Assert.Empty(before);
        Assert.Equal([finished.Id], after.Select(j => j.Id));
    }

    [Fact]
    public async Task Feed_JobCreatedRunAndDeleted_SubscribersHearEachChange()
    {
        var heard = new WaitableQueue<JobChange>();
        using var subscription = Feed.Subscribe(heard.Add);

        var claim = await ClaimedJobAsync("one", owner: "alice");
        await Store.CompleteAsync(claim.Lease, Checkpoint(0, 1), default);
        // A listener may read the job after hearing of it and skip the states in between: let it read this one.
        await heard.WaitForAsync(c => c.Job?.Status == JobStatus.Completed);
        await Store.DeleteAsync(claim.Job.Id, null, default);
        await heard.WaitForAsync(c => c.Kind == JobChangeKind.Deleted);

        var mine = heard.Where(c => c.JobId == claim.Job.Id).ToList();
        Assert.Contains(mine, c => c.Job?.Status == JobStatus.Completed && c.Job.ProcessedBy == "one");
        Assert.All(mine, c => Assert.Equal("alice", c.Owner));
        Assert.Equal(JobChangeKind.Deleted, mine[^1].Kind);
        Assert.True(mine[^1].IsVisibleTo("alice"));
        Assert.False(mine[^1].IsVisibleTo("bob"));
    }

    [Fact]
    public async Task Feed_LeaseRenewed_NobodyIsTold()
    {
        var heard = new WaitableQueue<JobChange>();
        using var subscription = Feed.Subscribe(heard.Add);
        var claim = await ClaimedJobAsync("one");
        // Changes arrive in commit order: once a later job is heard of, nothing older is still on its way.
        await HearAsync(heard, (await Store.CreateAsync(NewJob(), default)).Id);
        var before = heard.Count;

        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await Store.RenewLeaseAsync(claim.Lease, default));
        }

        await HearAsync(heard, (await Store.CreateAsync(NewJob(), default)).Id);

        Assert.DoesNotContain(heard.Skip(before), c => c.JobId == claim.Job.Id);
    }

    protected static NewJob NewJob() => new(Guid.NewGuid().ToString("D"), "yolo", 1, null, "clip.mp4", 1234);

    protected JobClaimRequest Request(string instance) => new(instance, Lease, MaxAttempts: 3);

    private static JobFrameResult Result(int index) => new(index, index * 200L, $$"""{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"dog","score":0.9}],"n":{{index}}}""");

    /// <summary>Frames <paramref name="from"/> … from + count - 1, one dog each, and the totals up to them.</summary>
    private static JobCheckpoint Checkpoint(int from, int count)
    {
        var done = from + count;
        return new JobCheckpoint(
            Enumerable.Range(from, count).Select(Result).ToList(), done, done * 10, new JobSummary(done, done, new Dictionary<string, int> { ["dog"] = done }));
    }

    /// <summary>A new job, claimed by <paramref name="instance"/>: the job running there.</summary>
    private async Task<JobClaim> ClaimedJobAsync(string instance, string? owner = null)
    {
        var job = await Store.CreateAsync(NewJob() with { Owner = owner }, default);
        var claim = await Store.TryClaimNextAsync(Request(instance), default);
        Assert.Equal(job.Id, claim?.Job.Id);
        return claim!;
    }

    private async Task<JobRecord> CompletedJobAsync(string? owner)
    {
        var claim = await ClaimedJobAsync("one", owner);
        await Store.CompleteAsync(claim.Lease, Checkpoint(0, 2), default);
        return claim.Job;
    }

    // Changes may arrive asynchronously (PostgreSQL's NOTIFY): wait for them.
    private static Task HearAsync(WaitableQueue<JobChange> heard, string jobId) => heard.WaitForAsync(c => c.JobId == jobId);
}
