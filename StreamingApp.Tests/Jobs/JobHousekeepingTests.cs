using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamingApp.Core.Jobs.Sqlite;

namespace StreamingApp.Tests.Jobs;

/// <summary>Retention and debris removal on a real SQLite store and a real data folder.</summary>
public sealed class JobHousekeepingTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly JobDataFolder _folder;
    private readonly SqliteJobStore _store;
    private readonly JobOptions _options = new();

    public JobHousekeepingTests()
    {
        _folder = new JobDataFolder(_dir.Path);
        var database = new SqliteJobDatabase(_folder.DatabasePath);
        new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
        _store = new SqliteJobStore(database, new JobChangeSubscribers(), _time);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunOnceAsync_JobsFinishedLongerAgoThanRetention_DeletedWithTheirUploadsRunningAndRecentKept()
    {
        var old = await FinishedJobAsync(fail: false);
        var oldFailed = await FinishedJobAsync(fail: true);
        var stillRunning = await JobAsync();
        await _store.TryClaimNextAsync(new JobClaimRequest("busy", TimeSpan.FromDays(30), 3), default);
        _time.Advance(TimeSpan.FromDays(_options.RetentionDays) - TimeSpan.FromHours(1));
        var recent = await FinishedJobAsync(fail: false);
        _time.Advance(TimeSpan.FromHours(2));

        var outcome = await Housekeeping().RunOnceAsync(default);

        Assert.Equal(2, outcome.ExpiredJobs);
        Assert.Null(await _store.GetAsync(old.ToString("D"), null, default));
        Assert.Null(await _store.GetAsync(oldFailed.ToString("D"), null, default));
        Assert.False(File.Exists(_folder.UploadPath(old)));
        Assert.NotNull(await _store.GetAsync(stillRunning.ToString("D"), null, default));
        Assert.NotNull(await _store.GetAsync(recent.ToString("D"), null, default));
        Assert.True(File.Exists(_folder.UploadPath(recent)));
    }

    [Fact]
    public async Task RunOnceAsync_RetentionZero_KeepsEveryJob()
    {
        var old = await FinishedJobAsync(fail: false);
        _time.Advance(TimeSpan.FromDays(3650));
        _options.RetentionDays = 0;

        var outcome = await Housekeeping().RunOnceAsync(default);

        Assert.Equal(0, outcome.ExpiredJobs);
        Assert.NotNull(await _store.GetAsync(old.ToString("D"), null, default));
    }

    [Fact]
    public async Task RunOnceAsync_UploadsWithoutAJob_DeletedOnceOlderThanTheGrace()
    {
        var kept = await JobAsync();
        var orphan = Upload(Guid.NewGuid(), age: JobHousekeeping.FileGrace + TimeSpan.FromMinutes(1));
        var justMoved = Upload(Guid.NewGuid(), age: TimeSpan.FromMinutes(1));
        var staleTemp = TempUpload(age: JobHousekeeping.FileGrace + TimeSpan.FromMinutes(1));
        var receiving = TempUpload(age: TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(_folder.UploadPath(kept), (_time.GetUtcNow() - TimeSpan.FromDays(1)).UtcDateTime);

        var outcome = await Housekeeping().RunOnceAsync(default);

        Assert.Equal((1, 1), (outcome.OrphanedUploads, outcome.StaleTempFiles));
        Assert.False(File.Exists(_folder.UploadPath(orphan)));
        Assert.False(File.Exists(staleTemp));
        Assert.True(File.Exists(_folder.UploadPath(justMoved)));
        Assert.True(File.Exists(receiving));
        Assert.True(File.Exists(_folder.UploadPath(kept)));
    }

    private JobHousekeeping Housekeeping() => new(
        _store,
        new JobDeletion(_store, _folder, NullLogger<JobDeletion>.Instance),
        _folder,
        Options.Create(_options),
        _time,
        NullLogger<JobHousekeeping>.Instance);

    private async Task<Guid> JobAsync()
    {
        var id = Upload(Guid.NewGuid(), TimeSpan.Zero);
        await _store.CreateAsync(new NewJob(id.ToString("D"), "yolo", 1, null, "clip.mp4", 10), default);
        return id;
    }

    private async Task<Guid> FinishedJobAsync(bool fail)
    {
        var id = await JobAsync();
        var claim = (await _store.TryClaimNextAsync(new JobClaimRequest("one", TimeSpan.FromMinutes(1), 3), default))!;
        Assert.Equal(id.ToString("D"), claim.Job.Id);
        var ended = fail
            ? await _store.FailAsync(claim.Lease, "broken", default)
            : await _store.CompleteAsync(claim.Lease, new JobCheckpoint([], 0, 0, JobSummary.Empty), default);
        Assert.True(ended);
        return id;
    }

    /// <summary>An upload file whose last write is <paramref name="age"/> before the fake now (file times are real).</summary>
    private Guid Upload(Guid id, TimeSpan age)
    {
        File.WriteAllBytes(_folder.UploadPath(id), [1, 2, 3]);
        File.SetLastWriteTimeUtc(_folder.UploadPath(id), (_time.GetUtcNow() - age).UtcDateTime);
        return id;
    }

    private string TempUpload(TimeSpan age)
    {
        var path = _folder.TempUploadPath(Guid.NewGuid());
        File.WriteAllBytes(path, [1]);
        File.SetLastWriteTimeUtc(path, (_time.GetUtcNow() - age).UtcDateTime);
        return path;
    }
}
