using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Jobs.Postgres;
using StreamingApp.Core.Jobs.Sqlite;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Benchmarks.Jobs;

/// <summary>
/// What the queue costs a job: the same job (real yolo pipeline, scheduler and ffmpeg, 200 frames of the tests' photo
/// clip) run by the same <see cref="JobProcessor"/> through the SQLite store — claim, lease renewals, progress,
/// checkpoints, completion — and through a store that keeps nothing; or, given a PostgreSQL database, through the
/// PostgreSQL queue (SKIP LOCKED claim, lease, checkpoints, NOTIFY) and through the SQLite store. The two alternate in
/// one process (<see cref="AlternatingRounds"/>), which prints wall and CPU time (ffmpeg's and the database server's
/// are not in it); whole jobs vary by more than the 2 % target here, so the target is read off the time the job spent
/// in its store's calls (<see cref="StoreCallClock"/>), printed last. Default queue settings, except a 3 s lease, so
/// that the job renews it a few times.
/// <c>dotnet StreamingApp.Benchmarks.dll jobs-queue [pairs]</c>;
/// <c>dotnet StreamingApp.Benchmarks.dll jobs-queue-postgres "&lt;connection string of an empty database&gt;" [pairs]</c>.
/// </summary>
public sealed class JobQueueCost : IDisposable
{
    public const string Command = "jobs-queue";
    public const string PostgresCommand = "jobs-queue-postgres";

    private const int LoopClip = 5;
    private static readonly JobClaimRequest Request = new("bench", TimeSpan.FromSeconds(3), 3);

    private readonly JobChangeSubscribers _changes = new();
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = InferenceServices.Build();
    private readonly JobDataFolder _folder;
    private readonly Queue _sqlite;
    private readonly NoStore _none = new();
    private readonly JobProcessor _noneProcessor;
    private readonly string _clip;

    private JobQueueCost()
    {
        _folder = new JobDataFolder(_dir.Path);
        _clip = Path.Combine(_dir.Path, "clip.mp4");
        Ffmpeg.Loop(TestVideo.ClipPath, _clip, LoopClip);
        var database = new SqliteJobDatabase(_folder.DatabasePath);
        new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
        _sqlite = Watch("sqlite", new SqliteJobStore(database, _changes, TimeProvider.System));
        _noneProcessor = Processor(_none);
    }

    public static async Task RunAsync(int pairs, TextWriter output)
    {
        using var bench = new JobQueueCost();
        // Warm-up: models loaded, ffmpeg and the database file in the page cache.
        await bench.BareAsync();
        await bench.QueuedAsync(bench._sqlite);
        bench._sqlite.Jobs.Clear();
        await AlternatingRounds.CompareAsync(pairs, ("bare", bench.BareAsync), ("queued", () => bench.QueuedAsync(bench._sqlite)), output);
        output.WriteLine(bench._sqlite.Describe());
    }

    public static async Task RunPostgresAsync(string connectionString, int pairs, TextWriter output)
    {
        using var bench = new JobQueueCost();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresJobSchema(dataSource).MigrateAsync(default);
        var postgres = bench.Watch("postgres", new PostgresJobStore(dataSource, TimeProvider.System));
        await bench.QueuedAsync(bench._sqlite);
        await bench.QueuedAsync(postgres);
        bench._sqlite.Jobs.Clear();
        postgres.Jobs.Clear();
        await AlternatingRounds.CompareAsync(
            pairs, ("sqlite", () => bench.QueuedAsync(bench._sqlite)), ("postgres", () => bench.QueuedAsync(postgres)), output);
        output.WriteLine(bench._sqlite.Describe());
        output.WriteLine(postgres.Describe());
    }

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }

    private async Task<Cost> BareAsync()
    {
        _none.Next = NewJob();
        return await TimeAsync(_none, _noneProcessor);
    }

    private async Task<Cost> QueuedAsync(Queue queue)
    {
        var job = await queue.Store.CreateAsync(NewJob(), default);
        queue.Clock.Take();
        var cost = await TimeAsync(queue.Store, queue.Processor);
        var (onPath, beside) = queue.Clock.Take();
        queue.Jobs.Add((onPath, beside, cost.Wall));
        var done = await queue.Store.GetAsync(job.Id, null, default);
        // A job that failed would be a fast one.
        return done?.Status == JobStatus.Completed ? cost : throw new InvalidOperationException($"The queued job ended {done?.Status}: {done?.Error}");
    }

    /// <summary>What <see cref="JobWorker"/> does with a job: claim it, keep its lease, run it.</summary>
    private Task<Cost> TimeAsync(IJobStore store, JobProcessor processor) => Cost.MeasureAsync(async () =>
    {
        var claim = await store.TryClaimNextAsync(Request, default) ?? throw new InvalidOperationException("nothing to claim");
        await using var lease = new JobLeaseKeeper(store, _changes, claim.Lease, TimeProvider.System, NullLogger.Instance);
        await processor.RunAsync(claim, lease.Lost);
    });

    private NewJob NewJob()
    {
        var id = Guid.NewGuid();
        File.CreateSymbolicLink(_folder.UploadPath(id), _clip);
        return new NewJob(id.ToString("D"), "yolo", 1, null, "clip.mp4", new FileInfo(_clip).Length);
    }

    private Queue Watch(string name, IJobStore store)
    {
        var (timed, clock) = StoreCallClock.Wrap(store);
        return new Queue(name, timed, clock, Processor(timed));
    }

    private JobProcessor Processor(IJobStore store) => new(
        store,
        _services.GetRequiredService<IPipelineCatalog>(),
        _services.GetRequiredService<InferenceScheduler>(),
        new FfmpegVideoDecoder(),
        _folder,
        new JobMetrics(new Meters()),
        Options.Create(new JobOptions()),
        TimeProvider.System,
        NullLogger<JobProcessor>.Instance);

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }

    /// <summary>A store under test, its calls timed, and what each measured job spent in them.</summary>
    private sealed record Queue(string Name, IJobStore Store, StoreCallClock Clock, JobProcessor Processor)
    {
        public List<(TimeSpan OnPath, TimeSpan Beside, TimeSpan JobWall)> Jobs { get; } = [];

        public string Describe() => StoreCallClock.Describe(Name, Jobs);
    }

    /// <summary>Accepts every write and keeps nothing: the job's work without the queue's.</summary>
    private sealed class NoStore : IJobStore
    {
        public NewJob Next { get; set; } = null!;

        public Task<JobClaim?> TryClaimNextAsync(JobClaimRequest request, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var job = new JobRecord(Next.Id, Next.PipelineId, JobStatus.Running, 0, Next.FrameStride, Next.MaxFrames, Next.OriginalFileName,
                Next.FileSize, now, now, null, null, 0, 1, null, request.Instance);
            return Task.FromResult<JobClaim?>(new JobClaim(job, new JobLease(job.Id, "token", request.Instance, request.LeaseDuration), 0, JobSummary.Empty));
        }

        public Task<bool> RenewLeaseAsync(JobLease lease, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> SetFramesTotalAsync(JobLease lease, int framesTotal, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> UpdateProgressAsync(JobLease lease, int framesDone, int progress, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CheckpointAsync(JobLease lease, JobCheckpoint checkpoint, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CompleteAsync(JobLease lease, JobCheckpoint last, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> FailAsync(JobLease lease, string error, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark job failed: " + error);

        public Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobRecord?> GetAsync(string id, string? owner, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobListPage> ListAsync(string? owner, int limit, int skip, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobSummary?> GetSummaryAsync(string id, string? owner, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JobFrameResult>> GetResultsPageAsync(string id, string? owner, int afterFrameIndex, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<JobRecord?> DeleteAsync(string id, string? owner, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JobRecord>> ListFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<long> GetStorageBytesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
