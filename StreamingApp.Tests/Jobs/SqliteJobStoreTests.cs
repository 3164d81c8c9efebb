using Microsoft.Data.Sqlite;
using StreamingApp.Core.Jobs.Sqlite;

namespace StreamingApp.Tests.Jobs;

/// <summary>The store contract on a real SQLite file, and what only SQLite has: WAL mode, upgrades of older files.</summary>
public sealed class SqliteJobStoreTests : JobStoreContractTests
{
    private readonly TempDirectory _dir = new();

    private string DatabasePath => Path.Combine(_dir.Path, "jobs.db");

    protected override async Task<(IJobStore Store, IJobChangeFeed Feed)> OpenAsync()
    {
        var feed = new JobChangeSubscribers();
        await MigrateAgainAsync();
        return (new SqliteJobStore(new SqliteJobDatabase(DatabasePath), feed, Time), feed);
    }

    protected override Task<IJobStore> OpenAnotherAsync() =>
        Task.FromResult<IJobStore>(new SqliteJobStore(new SqliteJobDatabase(DatabasePath), new JobChangeSubscribers(), Time));

    protected override Task<int> MigrateAgainAsync() => new SqliteJobSchema(new SqliteJobDatabase(DatabasePath)).MigrateAsync(default);

    protected override async Task<int[]> StartTogetherOnAnEmptyDatabaseAsync(int instances)
    {
        var path = Path.Combine(_dir.Path, "fresh.db");
        var versions = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => Task.Run(() => new SqliteJobSchema(new SqliteJobDatabase(path)).MigrateAsync(default))));
        var store = new SqliteJobStore(new SqliteJobDatabase(path), new JobChangeSubscribers(), Time);
        var job = await store.CreateAsync(NewJob(), default);
        Assert.Equal(job, await store.GetAsync(job.Id, null, default));
        return versions;
    }

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MigrateAsync_NewFile_SchemaInWalMode()
    {
        var version = await MigrateAgainAsync();

        Assert.Equal(2, version);
        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('jobs', 'job_results')"));
    }

    [Fact]
    public async Task MigrateAsync_FileOfTheFirstVersionWithAJobLeftRunning_UpgradedAndTheJobClaimable()
    {
        using var old = new TempDirectory();
        var path = Path.Combine(old.Path, "jobs.db");
        Execute(path, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "StreamingApp.Core", "Jobs", "Migrations", "Sqlite", "0001_init.sql")) + """
            ;PRAGMA user_version = 1;
            INSERT INTO jobs (id, pipeline_id, status, original_file_name, file_size, created_at, updated_at, attempts)
            VALUES ('old', 'yolo', 'running', 'clip.mp4', 10, 0, 0, 1);
            """);

        var version = await new SqliteJobSchema(new SqliteJobDatabase(path)).MigrateAsync(default);
        var claim = await new SqliteJobStore(new SqliteJobDatabase(path), new JobChangeSubscribers(), Time).TryClaimNextAsync(Request("new"), default);

        Assert.Equal(2, version);
        Assert.Equal(("old", 2, "new"), (claim!.Job.Id, claim.Job.Attempts, claim.Job.ProcessedBy));
    }

    [Fact]
    public async Task OpenAsync_QueueAndDurableConnections_CommitWithNormalAndFullSynchronous()
    {
        var database = new SqliteJobDatabase(DatabasePath);
        long durable;
        await using (var connection = await database.OpenDurableAsync(default))
        {
            durable = (long)Pragma(connection)!;
        }

        // Most likely the same pooled connection, durable a moment ago: set back.
        await using var queue = await database.OpenAsync(default);

        // 2 = FULL, 1 = NORMAL.
        Assert.Equal((2L, 1L), (durable, (long)Pragma(queue)!));
    }

    [Fact]
    public async Task Reads_WhileAnotherConnectionHoldsTheWriteLock_NeitherWaitNorFail()
    {
        var job = await Store.CreateAsync(NewJob(), default);
        using var writer = new SqliteConnection("Data Source=" + DatabasePath);
        writer.Open();
        using var write = writer.BeginTransaction(deferred: false);
        using (var command = writer.CreateCommand())
        {
            command.CommandText = "UPDATE jobs SET progress = 1";
            command.ExecuteNonQuery();
        }

        // Hang guard only: a read that needed the write lock would wait out the 30 s busy timeout, then fail.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var list = await Store.ListAsync(null, 10, 0, guard.Token);
        var one = await Store.GetAsync(job.Id, null, guard.Token);
        var bytes = await Store.GetStorageBytesAsync(guard.Token);
        var results = await Store.GetResultsPageAsync(job.Id, null, -1, 10, guard.Token);
        var summary = await Store.GetSummaryAsync(job.Id, null, guard.Token);
        var finished = await Store.ListFinishedBeforeAsync(Time.GetUtcNow(), 10, guard.Token);

        Assert.Equal((1, 0), (list.Count, list.Jobs[0].Progress));
        Assert.Equal(0, one!.Progress);
        Assert.Equal(1234, bytes);
        Assert.Empty(results);
        Assert.Null(summary);
        Assert.Empty(finished);
    }

    private static object? Pragma(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return command.ExecuteScalar();
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection("Data Source=" + DatabasePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection("Data Source=" + path);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
