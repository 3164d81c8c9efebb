using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace StreamingApp.Core.Jobs.Postgres;

/// <summary>
/// The jobs in PostgreSQL, shared by any number of instances. A claim takes the oldest claimable row with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claims never wait for each other nor get the same job; every write a
/// worker makes is fenced by its lease token. Changes are announced by the schema's trigger (NOTIFY at commit), which
/// <see cref="PostgresJobChangeFeed"/> turns into changes on every instance.
/// </summary>
public sealed class PostgresJobStore(NpgsqlDataSource dataSource, TimeProvider time) : SqlJobStore, IJobStore
{
    /// <summary>Progress of the committed frames, for a job that goes back to the queue or is taken over.</summary>
    private const string CommittedProgress = "CASE WHEN frames_total > 0 THEN LEAST(99, checkpoint_frames * 100 / frames_total) ELSE 0 END";

    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand($"""
            INSERT INTO jobs (id, pipeline_id, status, frame_stride, max_frames, original_file_name, file_size, owner, created_at, updated_at)
            VALUES (@id, @pipeline, 'pending', @stride, @max, @name, @size, @owner, @now, @now)
            RETURNING {Columns}
            """);
        insert.Parameters.Add(Text("id", job.Id));
        insert.Parameters.Add(Text("pipeline", job.PipelineId));
        insert.Parameters.Add(Integer("stride", job.FrameStride));
        insert.Parameters.Add(Integer("max", job.MaxFrames));
        insert.Parameters.Add(Text("name", job.OriginalFileName));
        insert.Parameters.Add(new NpgsqlParameter<long>("size", job.FileSize));
        insert.Parameters.Add(Text("owner", job.Owner));
        insert.Parameters.Add(Time("now", Now()));
        return await JobRows.ReadSingleAsync(insert, ReadTime, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("INSERT returned no row.");
    }

    public async Task<JobRecord?> GetAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand($"SELECT {Columns} FROM jobs WHERE id = @id AND {Owned}");
        select.Parameters.Add(Text("id", id));
        select.Parameters.Add(Text("owner", owner));
        return await JobRows.ReadSingleAsync(select, ReadTime, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobListPage> ListAsync(string? owner, int limit, int skip, CancellationToken cancellationToken)
    {
        // One statement, one snapshot: the page and the count agree.
        await using var select = dataSource.CreateCommand($"""
            SELECT {Columns}, COUNT(*) OVER () FROM jobs WHERE {Owned}
            ORDER BY created_at DESC, seq DESC LIMIT @limit OFFSET @skip
            """);
        select.Parameters.Add(Text("owner", owner));
        select.Parameters.Add(Integer("limit", limit));
        select.Parameters.Add(Integer("skip", skip));
        var jobs = new List<JobRecord>();
        long count = 0;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(JobRows.Read(reader, ReadTime));
                count = reader.GetInt64(16);
            }
        }

        // A page past the end has no row to carry the count.
        return new JobListPage(jobs, jobs.Count > 0 ? (int)count : await CountAsync(owner, cancellationToken).ConfigureAwait(false));
    }

    public async Task<JobSummary?> GetSummaryAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand($"SELECT summary_json FROM jobs WHERE id = @id AND status = 'completed' AND {Owned}");
        select.Parameters.Add(Text("id", id));
        select.Parameters.Add(Text("owner", owner));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? JobRows.DeserializeSummary(json) : null;
    }

    public async Task<IReadOnlyList<JobFrameResult>> GetResultsPageAsync(string id, string? owner, int afterFrameIndex, int limit, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("""
            SELECT r.frame_index, r.timestamp_ms, r.result_json
            FROM job_results r JOIN jobs j ON j.id = r.job_id
            WHERE r.job_id = @id AND j.status = 'completed' AND (@owner IS NULL OR j.owner = @owner) AND r.frame_index > @after
            ORDER BY r.frame_index LIMIT @limit
            """);
        select.Parameters.Add(Text("id", id));
        select.Parameters.Add(Text("owner", owner));
        select.Parameters.Add(Integer("after", afterFrameIndex));
        select.Parameters.Add(Integer("limit", limit));
        return await JobRows.ReadResultsAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord?> DeleteAsync(string id, string? owner, CancellationToken cancellationToken)
    {
        // Results go with the row (ON DELETE CASCADE), in the same statement.
        await using var delete = dataSource.CreateCommand($"DELETE FROM jobs WHERE id = @id AND {Owned} RETURNING {Columns}");
        delete.Parameters.Add(Text("id", id));
        delete.Parameters.Add(Text("owner", owner));
        return await JobRows.ReadSingleAsync(delete, ReadTime, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobRecord>> ListFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand(
            $"SELECT {Columns} FROM jobs WHERE status IN ('completed', 'failed') AND updated_at < @before ORDER BY updated_at LIMIT @limit");
        select.Parameters.Add(Time("before", before));
        select.Parameters.Add(Integer("limit", limit));
        return await JobRows.ReadManyAsync(select, ReadTime, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetStorageBytesAsync(CancellationToken cancellationToken)
    {
        await using var sum = dataSource.CreateCommand("SELECT COALESCE(SUM(file_size + results_bytes), 0)::bigint FROM jobs");
        return (long)(await sum.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<JobClaim?> TryClaimNextAsync(JobClaimRequest request, CancellationToken cancellationToken)
    {
        var now = Now();
        await FailExhaustedAsync(request.MaxAttempts, now, cancellationToken).ConfigureAwait(false);
        var token = Guid.NewGuid().ToString("N");
        await using var claim = dataSource.CreateCommand($"""
            WITH next AS (
                SELECT id AS next_id FROM jobs
                WHERE status = 'pending' OR (status = 'running' AND lease_expires_at < @now)
                ORDER BY created_at, seq LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE jobs SET status = 'running', attempts = attempts + 1, error = NULL, processed_by = @instance,
                lease_token = @token, lease_expires_at = @expires, frames_done = checkpoint_frames, progress = {CommittedProgress}, updated_at = @now
            FROM next WHERE id = next.next_id
            RETURNING {JobRows.ClaimColumns}
            """);
        claim.Parameters.Add(Time("now", now));
        claim.Parameters.Add(Text("instance", request.Instance));
        claim.Parameters.Add(Text("token", token));
        claim.Parameters.Add(Time("expires", now + request.LeaseDuration));
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? JobRows.ReadClaim(reader, ReadTime, request, token) : null;
    }

    public async Task<bool> RenewLeaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var renew = dataSource.CreateCommand($"UPDATE jobs SET lease_expires_at = @expires WHERE {Leased}");
        AddLease(renew, lease);
        renew.Parameters.Add(Time("expires", Now() + lease.Duration));
        return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> FailAsync(JobLease lease, string error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand($"""
            UPDATE jobs SET status = 'failed', error = @error, lease_token = NULL, lease_expires_at = NULL, results_bytes = 0, updated_at = @now
            WHERE {Leased}
            """, connection, transaction);
        AddLease(update, lease);
        update.Parameters.Add(Text("error", error));
        update.Parameters.Add(Time("now", Now()));
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await using var delete = new NpgsqlCommand("DELETE FROM job_results WHERE job_id = @id", connection, transaction);
        delete.Parameters.Add(Text("id", lease.JobId));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken) => UpdateLeasedAsync(
        lease,
        $"status = 'pending', lease_token = NULL, lease_expires_at = NULL, attempts = GREATEST(attempts - 1, 0), frames_done = checkpoint_frames, progress = {CommittedProgress}",
        [],
        cancellationToken);

    /// <summary>Jobs whose instance died with them too often fail instead of being claimed again.</summary>
    private async Task FailExhaustedAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand($"""
            WITH failed AS (
                UPDATE jobs SET status = 'failed', error = '{JobRows.InterruptedErrorPrefix}' || attempts || '{JobRows.InterruptedErrorSuffix}',
                    lease_token = NULL, lease_expires_at = NULL, results_bytes = 0, updated_at = @now
                WHERE status = 'running' AND lease_expires_at < @now AND attempts >= @max
                RETURNING id)
            DELETE FROM job_results WHERE job_id IN (SELECT id FROM failed)
            """);
        update.Parameters.Add(Time("now", now));
        update.Parameters.Add(Integer("max", maxAttempts));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<bool> CommitAsync(JobLease lease, JobCheckpoint checkpoint, string set, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand($"""
            UPDATE jobs SET {set}, frames_done = @done, checkpoint_frames = @done, summary_json = @summary,
                results_bytes = results_bytes + @bytes, updated_at = @now
            WHERE {Leased}
            """, connection, transaction);
        AddLease(update, lease);
        update.Parameters.Add(Integer("done", checkpoint.FramesDone));
        update.Parameters.Add(Integer("progress", JobProgress.WhileRunning(checkpoint.Progress)));
        update.Parameters.Add(Text("summary", JobRows.SerializeSummary(checkpoint.Summary)));
        update.Parameters.Add(new NpgsqlParameter<long>("bytes", JobRows.ResultBytes(checkpoint.Results)));
        update.Parameters.Add(Time("now", Now()));
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        if (checkpoint.Results.Count > 0)
        {
            await InsertResultsAsync(connection, transaction, lease.JobId, checkpoint.Results, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The whole batch in one statement: three arrays unnested into rows.</summary>
    private static async Task InsertResultsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string jobId, IReadOnlyList<JobFrameResult> results, CancellationToken cancellationToken)
    {
        var indexes = new int[results.Count];
        var timestamps = new long[results.Count];
        var json = new string[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            (indexes[i], timestamps[i], json[i]) = (results[i].FrameIndex, results[i].TimestampMs, results[i].ResultJson);
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO job_results (job_id, frame_index, timestamp_ms, result_json)
            SELECT @id, r.frame_index, r.timestamp_ms, r.result_json FROM unnest(@indexes, @timestamps, @json) AS r (frame_index, timestamp_ms, result_json)
            """, connection, transaction);
        insert.Parameters.Add(Text("id", jobId));
        insert.Parameters.Add(new NpgsqlParameter<int[]>("indexes", indexes));
        insert.Parameters.Add(new NpgsqlParameter<long[]>("timestamps", timestamps));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("json", json));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<bool> UpdateLeasedAsync(JobLease lease, string set, (string Name, int Value)[] values, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand($"UPDATE jobs SET {set}, updated_at = @now WHERE {Leased}");
        AddLease(update, lease);
        update.Parameters.Add(Time("now", Now()));
        foreach (var (name, value) in values)
        {
            update.Parameters.Add(Integer(name, value));
        }

        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task<int> CountAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var count = dataSource.CreateCommand($"SELECT COUNT(*) FROM jobs WHERE {Owned}");
        count.Parameters.Add(Text("owner", owner));
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static void AddLease(NpgsqlCommand command, JobLease lease)
    {
        command.Parameters.Add(Text("id", lease.JobId));
        command.Parameters.Add(Text("token", lease.Token));
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Integer(string name, int? value) => new(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Time(string name, DateTimeOffset value) => new(name, NpgsqlDbType.TimestampTz) { Value = value };

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private DateTimeOffset Now() => JobRows.Now(time);
}
