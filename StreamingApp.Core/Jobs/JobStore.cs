using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Jobs and results in a SQLite file (WAL mode, so readers never wait for the worker). Safe to use from several
/// threads and from several processes on the same file: every state change is a single statement or transaction.
/// The schema is created and migrated at construction by the embedded <c>Migrations/NNNN_*.sql</c> scripts,
/// tracked with <c>PRAGMA user_version</c>.
/// </summary>
public sealed class JobStore
{
    private const string Columns =
        "id, pipeline_id, status, progress, frame_stride, max_frames, original_file_name, file_size, " +
        "created_at, updated_at, error, frames_total, frames_done, attempts";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly JobChangeNotifier? _notifier;

    static JobStore() => SQLitePCL.Batteries_V2.Init();

    public JobStore(string databasePath, TimeProvider time, JobChangeNotifier? notifier = null)
    {
        _time = time;
        _notifier = notifier;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement retries while another connection or process holds the write lock.
            DefaultTimeout = 30,
        }.ToString();
        SchemaVersion = Migrate();
    }

    /// <summary>The schema version after migration (the highest script number applied).</summary>
    public int SchemaVersion { get; }

    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        var now = Now();
        var created = await QuerySingleAsync(
            $"""
            INSERT INTO jobs (id, pipeline_id, status, frame_stride, max_frames, original_file_name, file_size, created_at, updated_at)
            VALUES ($id, $pipeline, 'pending', $stride, $max, $name, $size, $now, $now)
            RETURNING {Columns}
            """,
            c =>
            {
                c.Parameters.AddWithValue("$id", job.Id);
                c.Parameters.AddWithValue("$pipeline", job.PipelineId);
                c.Parameters.AddWithValue("$stride", job.FrameStride);
                c.Parameters.AddWithValue("$max", (object?)job.MaxFrames ?? DBNull.Value);
                c.Parameters.AddWithValue("$name", job.OriginalFileName);
                c.Parameters.AddWithValue("$size", job.FileSize);
                c.Parameters.AddWithValue("$now", now);
            },
            cancellationToken).ConfigureAwait(false);
        return Published(created ?? throw new InvalidOperationException("INSERT returned no row."));
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {Columns} FROM jobs WHERE id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken);

    /// <summary>Newest first.</summary>
    public async Task<(IReadOnlyList<JobRecord> Jobs, int Count)> ListAsync(int limit, int skip, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<JobRecord>();
        await using (var command = Command(connection, $"SELECT {Columns} FROM jobs ORDER BY created_at DESC, seq DESC LIMIT $limit OFFSET $skip"))
        {
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$skip", skip);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(Read(reader));
            }
        }

        await using var count = Command(connection, "SELECT COUNT(*) FROM jobs");
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return (jobs, total);
    }

    /// <summary>
    /// Takes the oldest pending job and marks it running, in one statement: the write lock SQLite holds for it
    /// means two workers (threads or processes) can never both get the same job.
    /// </summary>
    public async Task<JobRecord?> TryClaimNextAsync(CancellationToken cancellationToken)
    {
        var claimed = await QuerySingleAsync(
            $"""
            UPDATE jobs SET status = 'running', attempts = attempts + 1, error = NULL, updated_at = $now
            WHERE id = (SELECT id FROM jobs WHERE status = 'pending' ORDER BY created_at, seq LIMIT 1) AND status = 'pending'
            RETURNING {Columns}
            """,
            c => c.Parameters.AddWithValue("$now", Now()),
            cancellationToken).ConfigureAwait(false);
        return claimed is null ? null : Published(claimed);
    }

    /// <summary>
    /// At start: jobs still marked running were interrupted by a crash. They go back to pending, unless they have
    /// been interrupted <paramref name="maxAttempts"/> times already (a video that kills the process) — then they fail.
    /// One process per data folder: this would also take back jobs another live process is running.
    /// </summary>
    public async Task<int> RecoverInterruptedAsync(int maxAttempts, CancellationToken cancellationToken)
    {
        var changed = await QueryManyAsync(
            $"""
            UPDATE jobs SET
                status = CASE WHEN attempts >= $max THEN 'failed' ELSE 'pending' END,
                error = CASE WHEN attempts >= $max THEN 'The job was interrupted ' || attempts || ' times and was not retried again.' ELSE NULL END,
                progress = 0, frames_done = 0, updated_at = $now
            WHERE status = 'running'
            RETURNING {Columns}
            """,
            c =>
            {
                c.Parameters.AddWithValue("$max", maxAttempts);
                c.Parameters.AddWithValue("$now", Now());
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var job in changed)
        {
            Published(job);
        }

        return changed.Count;
    }

    /// <summary>Gives a running job back to the queue (the host is stopping); it does not count as an attempt.</summary>
    public Task<bool> ReleaseAsync(string id, CancellationToken cancellationToken) => UpdateRunningAsync(
        "status = 'pending', progress = 0, frames_done = 0, attempts = MAX(attempts - 1, 0)", id, null, cancellationToken);

    public Task<bool> SetFramesTotalAsync(string id, int framesTotal, CancellationToken cancellationToken) =>
        UpdateRunningAsync("frames_total = $value", id, c => c.Parameters.AddWithValue("$value", framesTotal), cancellationToken);

    public Task<bool> UpdateProgressAsync(string id, int framesDone, int progress, CancellationToken cancellationToken) =>
        UpdateRunningAsync(
            "frames_done = $done, progress = $progress",
            id,
            c =>
            {
                c.Parameters.AddWithValue("$done", framesDone);
                c.Parameters.AddWithValue("$progress", Math.Clamp(progress, 0, 99));
            },
            cancellationToken);

    public Task<bool> FailAsync(string id, string error, CancellationToken cancellationToken) =>
        UpdateRunningAsync("status = 'failed', error = $error", id, c => c.Parameters.AddWithValue("$error", error), cancellationToken);

    /// <summary>Writes every result and marks the job completed at 100%, all in one transaction.</summary>
    public async Task<bool> CompleteAsync(string id, IReadOnlyList<JobFrameResult> results, JobSummary summary, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        JobRecord? completed;
        await using (var update = Command(connection, $"""
            UPDATE jobs SET status = 'completed', progress = 100, frames_done = $done, summary_json = $summary, error = NULL, updated_at = $now
            WHERE id = $id AND status = 'running'
            RETURNING {Columns}
            """))
        {
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$done", results.Count);
            update.Parameters.AddWithValue("$summary", JsonSerializer.Serialize(summary, JobsJson.Default.JobSummary));
            update.Parameters.AddWithValue("$now", Now());
            completed = await ReadSingleAsync(update, cancellationToken).ConfigureAwait(false);
        }

        if (completed is null)
        {
            return false;
        }

        await using (var delete = Command(connection, "DELETE FROM job_results WHERE job_id = $id"))
        {
            delete.Parameters.AddWithValue("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = Command(connection, "INSERT INTO job_results (job_id, frame_index, timestamp_ms, result_json) VALUES ($id, $index, $ts, $json)"))
        {
            insert.Parameters.AddWithValue("$id", id);
            var index = insert.Parameters.Add("$index", SqliteType.Integer);
            var timestamp = insert.Parameters.Add("$ts", SqliteType.Integer);
            var json = insert.Parameters.Add("$json", SqliteType.Text);
            foreach (var result in results)
            {
                index.Value = result.FrameIndex;
                timestamp.Value = result.TimestampMs;
                json.Value = result.ResultJson;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Published(completed);
        return true;
    }

    /// <summary>The results and summary of a completed job, in frame order; null when the job has none (yet).</summary>
    public async Task<(IReadOnlyList<JobFrameResult> Frames, JobSummary Summary)?> GetResultsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var summary = await ReadSummaryAsync(connection, id, cancellationToken).ConfigureAwait(false);
        if (summary is null)
        {
            return null;
        }

        var frames = new List<JobFrameResult>(summary.Frames);
        await using var results = Command(connection, "SELECT frame_index, timestamp_ms, result_json FROM job_results WHERE job_id = $id ORDER BY frame_index");
        results.Parameters.AddWithValue("$id", id);
        await using var reader = await results.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            frames.Add(new JobFrameResult(reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return (frames, summary);
    }

    /// <summary>The totals of a completed job; null when it is not completed.</summary>
    public async Task<JobSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSummaryAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JobSummary?> ReadSummaryAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, "SELECT summary_json FROM jobs WHERE id = $id AND status = 'completed'");
        select.Parameters.AddWithValue("$id", id);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize(json, JobsJson.Default.JobSummary)
            : null;
    }

    private async Task<bool> UpdateRunningAsync(string set, string id, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
    {
        var job = await QuerySingleAsync(
            $"UPDATE jobs SET {set}, updated_at = $now WHERE id = $id AND status = 'running' RETURNING {Columns}",
            c =>
            {
                c.Parameters.AddWithValue("$id", id);
                c.Parameters.AddWithValue("$now", Now());
                bind?.Invoke(c);
            },
            cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        Published(job);
        return true;
    }

    private int Migrate()
    {
        var scripts = MigrationScripts();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var wal = Command(connection, "PRAGMA journal_mode = WAL"))
        {
            wal.ExecuteNonQuery();
        }

        // BEGIN IMMEDIATE: a second process starting at the same time waits here instead of migrating twice.
        using var transaction = connection.BeginTransaction();
        int version;
        using (var read = Command(connection, "PRAGMA user_version"))
        {
            version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        foreach (var (number, sql) in scripts)
        {
            if (number <= version)
            {
                continue;
            }

            using (var apply = Command(connection, sql))
            {
                apply.ExecuteNonQuery();
            }

            // PRAGMA does not take parameters; the number comes from our own resource name.
            using (var bump = Command(connection, "PRAGMA user_version = " + number.ToString(CultureInfo.InvariantCulture)))
            {
                bump.ExecuteNonQuery();
            }

            version = number;
        }

        transaction.Commit();
        return version;
    }

    private static List<(int Number, string Sql)> MigrationScripts()
    {
        const string prefix = "StreamingApp.Core.Jobs.Migrations.";
        var assembly = typeof(JobStore).Assembly;
        var scripts = new List<(int, string)>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            // Resource names of files starting with a digit get a leading underscore: "_0001_init.sql".
            var file = name[prefix.Length..].TrimStart('_');
            var number = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            scripts.Add((number, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }

    private async Task<JobRecord?> QuerySingleAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        bind(command);
        return await ReadSingleAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<JobRecord>> QueryManyAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        bind(command);
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    private static async Task<JobRecord?> ReadSingleAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static JobRecord Read(SqliteDataReader r) => new(
        Id: r.GetString(0),
        PipelineId: r.GetString(1),
        Status: JobStatusNames.Parse(r.GetString(2)),
        Progress: r.GetInt32(3),
        FrameStride: r.GetInt32(4),
        MaxFrames: r.IsDBNull(5) ? null : r.GetInt32(5),
        OriginalFileName: r.GetString(6),
        FileSize: r.GetInt64(7),
        CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        UpdatedAt: DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        Error: r.IsDBNull(10) ? null : r.GetString(10),
        FramesTotal: r.IsDBNull(11) ? null : r.GetInt32(11),
        FramesDone: r.GetInt32(12),
        Attempts: r.GetInt32(13));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private JobRecord Published(JobRecord job)
    {
        _notifier?.Publish(job);
        return job;
    }
}
