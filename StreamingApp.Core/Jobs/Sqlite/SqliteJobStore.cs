using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace StreamingApp.Core.Jobs.Sqlite;

/// <summary>
/// The jobs in a SQLite file, safe from several threads and several processes on one machine. SQLite has one writer
/// at a time, which is its <c>SKIP LOCKED</c>: a claim is one statement under the write lock, so two workers never
/// get the same job. Reads are plain statements or deferred transactions, which in WAL mode never take the write lock
/// nor wait for it. Accepting and deleting a job are durable commits; the queue's writes are not fsynced one by one
/// (see <see cref="SqliteJobDatabase"/>). Times are Unix milliseconds. Changes are published to this process's
/// subscribers after commit.
/// </summary>
public sealed class SqliteJobStore(SqliteJobDatabase database, JobChangeSubscribers changes, TimeProvider time) : SqlJobStore, IJobStore
{
    /// <summary>Progress of the committed frames, for a job that goes back to the queue or is taken over.</summary>
    private const string CommittedProgress = "CASE WHEN frames_total > 0 THEN MIN(99, checkpoint_frames * 100 / frames_total) ELSE 0 END";

    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDurableAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = SqliteJobDatabase.Command(connection, $"""
            INSERT INTO jobs (id, pipeline_id, status, frame_stride, max_frames, original_file_name, file_size, owner, created_at, updated_at)
            VALUES (@id, @pipeline, 'pending', @stride, @max, @name, @size, @owner, @now, @now)
            RETURNING {Columns}
            """);
        Bind(insert, ("@id", job.Id), ("@pipeline", job.PipelineId), ("@stride", job.FrameStride), ("@max", job.MaxFrames),
            ("@name", job.OriginalFileName), ("@size", job.FileSize), ("@owner", job.Owner), ("@now", Now()));
        var created = await JobRows.ReadSingleAsync(insert, ReadTime, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("INSERT returned no row.");
        return Published(created);
    }

    public async Task<JobRecord?> GetAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SqliteJobDatabase.Command(connection, $"SELECT {Columns} FROM jobs WHERE id = @id AND {Owned}");
        Bind(select, ("@id", id), ("@owner", owner));
        return await JobRows.ReadSingleAsync(select, ReadTime, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobListPage> ListAsync(string? owner, int limit, int skip, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Deferred: the page and the count see one snapshot without ever asking for the write lock.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var select = SqliteJobDatabase.Command(connection, $"SELECT {Columns} FROM jobs WHERE {Owned} ORDER BY created_at DESC, seq DESC LIMIT @limit OFFSET @skip", transaction);
        Bind(select, ("@owner", owner), ("@limit", limit), ("@skip", skip));
        var jobs = await JobRows.ReadManyAsync(select, ReadTime, cancellationToken).ConfigureAwait(false);
        await using var count = SqliteJobDatabase.Command(connection, $"SELECT COUNT(*) FROM jobs WHERE {Owned}", transaction);
        Bind(count, ("@owner", owner));
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new JobListPage(jobs, (int)total);
    }

    public async Task<JobSummary?> GetSummaryAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SqliteJobDatabase.Command(connection, $"SELECT summary_json FROM jobs WHERE id = @id AND status = 'completed' AND {Owned}");
        Bind(select, ("@id", id), ("@owner", owner));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? JobRows.DeserializeSummary(json) : null;
    }

    public async Task<IReadOnlyList<JobFrameResult>> GetResultsPageAsync(string id, string? owner, int afterFrameIndex, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SqliteJobDatabase.Command(connection, """
            SELECT r.frame_index, r.timestamp_ms, r.result_json
            FROM job_results r JOIN jobs j ON j.id = r.job_id
            WHERE r.job_id = @id AND j.status = 'completed' AND (@owner IS NULL OR j.owner = @owner) AND r.frame_index > @after
            ORDER BY r.frame_index LIMIT @limit
            """);
        Bind(select, ("@id", id), ("@owner", owner), ("@after", afterFrameIndex), ("@limit", limit));
        return await JobRows.ReadResultsAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord?> DeleteAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDurableAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        await using var delete = SqliteJobDatabase.Command(connection, $"DELETE FROM jobs WHERE id = @id AND {Owned} RETURNING {Columns}", transaction);
        Bind(delete, ("@id", id), ("@owner", owner));
        var deleted = await JobRows.ReadSingleAsync(delete, ReadTime, cancellationToken).ConfigureAwait(false);
        if (deleted is null)
        {
            return null;
        }

        await DeleteResultsAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        changes.Publish(JobChange.DeletedOf(deleted));
        return deleted;
    }

    public async Task<IReadOnlyList<JobRecord>> ListFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = SqliteJobDatabase.Command(connection,
            $"SELECT {Columns} FROM jobs WHERE status IN ('completed', 'failed') AND updated_at < @before ORDER BY updated_at LIMIT @limit");
        Bind(select, ("@before", before.ToUnixTimeMilliseconds()), ("@limit", limit));
        return await JobRows.ReadManyAsync(select, ReadTime, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetStorageBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var sum = SqliteJobDatabase.Command(connection, "SELECT COALESCE(SUM(file_size + results_bytes), 0) FROM jobs");
        return (long)(await sum.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<JobClaim?> TryClaimNextAsync(JobClaimRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var now = Now();
        var failed = await FailExhaustedAsync(connection, transaction, request.MaxAttempts, now, cancellationToken).ConfigureAwait(false);
        var token = Guid.NewGuid().ToString("N");
        await using var claim = SqliteJobDatabase.Command(connection, $"""
            UPDATE jobs SET status = 'running', attempts = attempts + 1, error = NULL, processed_by = @instance,
                lease_token = @token, lease_expires_at = @expires, frames_done = checkpoint_frames, progress = {CommittedProgress}, updated_at = @now
            WHERE id = (SELECT id FROM jobs WHERE status = 'pending' OR (status = 'running' AND lease_expires_at < @now) ORDER BY created_at, seq LIMIT 1)
            RETURNING {JobRows.ClaimColumns}
            """, transaction);
        Bind(claim, ("@instance", request.Instance), ("@token", token), ("@expires", now + (long)request.LeaseDuration.TotalMilliseconds), ("@now", now));
        JobClaim? claimed = null;
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed = JobRows.ReadClaim(reader, ReadTime, request, token);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        failed.ForEach(job => Published(job));
        return claimed is null ? null : claimed with { Job = Published(claimed.Job) };
    }

    public async Task<bool> RenewLeaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var renew = SqliteJobDatabase.Command(connection, $"UPDATE jobs SET lease_expires_at = @expires WHERE {Leased}");
        Bind(renew, ("@id", lease.JobId), ("@token", lease.Token), ("@expires", Now() + (long)lease.Duration.TotalMilliseconds));
        return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> FailAsync(JobLease lease, string error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        await using var update = SqliteJobDatabase.Command(connection, $"""
            UPDATE jobs SET status = 'failed', error = @error, lease_token = NULL, lease_expires_at = NULL, results_bytes = 0, updated_at = @now
            WHERE {Leased} RETURNING {Columns}
            """, transaction);
        Bind(update, ("@id", lease.JobId), ("@token", lease.Token), ("@error", error), ("@now", Now()));
        var failed = await JobRows.ReadSingleAsync(update, ReadTime, cancellationToken).ConfigureAwait(false);
        if (failed is null)
        {
            return false;
        }

        await DeleteResultsAsync(connection, transaction, lease.JobId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Published(failed);
        return true;
    }

    public Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken) => UpdateLeasedAsync(
        lease,
        $"status = 'pending', lease_token = NULL, lease_expires_at = NULL, attempts = MAX(attempts - 1, 0), frames_done = checkpoint_frames, progress = {CommittedProgress}",
        [],
        cancellationToken);

    /// <summary>Jobs whose instance died with them too often fail instead of being claimed again.</summary>
    private async Task<List<JobRecord>> FailExhaustedAsync(SqliteConnection connection, SqliteTransaction transaction, int maxAttempts, long now, CancellationToken cancellationToken)
    {
        await using var update = SqliteJobDatabase.Command(connection, $"""
            UPDATE jobs SET status = 'failed', error = '{JobRows.InterruptedErrorPrefix}' || attempts || '{JobRows.InterruptedErrorSuffix}',
                lease_token = NULL, lease_expires_at = NULL, results_bytes = 0, updated_at = @now
            WHERE status = 'running' AND lease_expires_at < @now AND attempts >= @max
            RETURNING {Columns}
            """, transaction);
        Bind(update, ("@now", now), ("@max", maxAttempts));
        var failed = await JobRows.ReadManyAsync(update, ReadTime, cancellationToken).ConfigureAwait(false);
        foreach (var job in failed)
        {
            await DeleteResultsAsync(connection, transaction, job.Id, cancellationToken).ConfigureAwait(false);
        }

        return failed;
    }

    protected override async Task<bool> CommitAsync(JobLease lease, JobCheckpoint checkpoint, string set, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        await using var update = SqliteJobDatabase.Command(connection, $"""
            UPDATE jobs SET {set}, frames_done = @done, checkpoint_frames = @done, summary_json = @summary,
                results_bytes = results_bytes + @bytes, updated_at = @now
            WHERE {Leased} RETURNING {Columns}
            """, transaction);
        Bind(update, ("@id", lease.JobId), ("@token", lease.Token), ("@done", checkpoint.FramesDone), ("@progress", JobProgress.WhileRunning(checkpoint.Progress)),
            ("@summary", JobRows.SerializeSummary(checkpoint.Summary)), ("@bytes", JobRows.ResultBytes(checkpoint.Results)), ("@now", Now()));
        var job = await JobRows.ReadSingleAsync(update, ReadTime, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        await using (var insert = SqliteJobDatabase.Command(connection, "INSERT INTO job_results (job_id, frame_index, timestamp_ms, result_json) VALUES (@id, @index, @ts, @json)", transaction))
        {
            insert.Parameters.AddWithValue("@id", lease.JobId);
            var index = insert.Parameters.Add("@index", SqliteType.Integer);
            var timestamp = insert.Parameters.Add("@ts", SqliteType.Integer);
            var json = insert.Parameters.Add("@json", SqliteType.Text);
            foreach (var result in checkpoint.Results)
            {
                (index.Value, timestamp.Value, json.Value) = (result.FrameIndex, result.TimestampMs, result.ResultJson);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Published(job);
        return true;
    }

    protected override async Task<bool> UpdateLeasedAsync(JobLease lease, string set, (string Name, int Value)[] values, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = SqliteJobDatabase.Command(connection, $"UPDATE jobs SET {set}, updated_at = @now WHERE {Leased} RETURNING {Columns}");
        Bind(update, [("@id", lease.JobId), ("@token", lease.Token), ("@now", Now()), .. values.Select(v => ("@" + v.Name, (object?)v.Value))]);
        var job = await JobRows.ReadSingleAsync(update, ReadTime, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        Published(job);
        return true;
    }

    private static async Task DeleteResultsAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var delete = SqliteJobDatabase.Command(connection, "DELETE FROM job_results WHERE job_id = @id", transaction);
        delete.Parameters.AddWithValue("@id", id);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private long Now() => JobRows.Now(time).ToUnixTimeMilliseconds();

    private JobRecord Published(JobRecord job)
    {
        changes.Publish(JobChange.Of(job));
        return job;
    }
}
