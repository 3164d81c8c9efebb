using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace StreamingApp.Core.Jobs;

/// <summary>What both stores read and write the same way: the job columns, their mapping, the stored JSON.</summary>
internal static class JobRows
{
    /// <summary>The columns of a <see cref="JobRecord"/>, in <see cref="Read"/>'s order.</summary>
    public const string Columns =
        "id, pipeline_id, status, progress, frame_stride, max_frames, original_file_name, file_size, " +
        "created_at, updated_at, error, frames_total, frames_done, attempts, owner, processed_by";

    /// <summary>A claim also needs where the last run stopped: <see cref="Columns"/>, then these.</summary>
    public const string ClaimColumns = Columns + ", checkpoint_frames, summary_json";

    /// <summary>The error of a job that kept losing its instance, in the stores' SQL (attempts is the column).</summary>
    public const string InterruptedErrorPrefix = "The job was interrupted ";

    public const string InterruptedErrorSuffix = " times and was not retried again.";

    public static JobRecord Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time) => new(
        Id: r.GetString(0),
        PipelineId: r.GetString(1),
        Status: JobStatusNames.Parse(r.GetString(2)),
        Progress: r.GetInt32(3),
        FrameStride: r.GetInt32(4),
        MaxFrames: r.IsDBNull(5) ? null : r.GetInt32(5),
        OriginalFileName: r.GetString(6),
        FileSize: r.GetInt64(7),
        CreatedAt: time(r, 8),
        UpdatedAt: time(r, 9),
        Error: r.IsDBNull(10) ? null : r.GetString(10),
        FramesTotal: r.IsDBNull(11) ? null : r.GetInt32(11),
        FramesDone: r.GetInt32(12),
        Attempts: r.GetInt32(13),
        Owner: r.IsDBNull(14) ? null : r.GetString(14),
        ProcessedBy: r.IsDBNull(15) ? null : r.GetString(15));

    /// <summary>Reads a row of <see cref="ClaimColumns"/> as the job claimed for <paramref name="request"/> under <paramref name="token"/>.</summary>
    public static JobClaim ReadClaim(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time, JobClaimRequest request, string token)
    {
        var job = Read(r, time);
        return new JobClaim(
            job,
            new JobLease(job.Id, token, request.Instance, request.LeaseDuration),
            ResumeAt: r.GetInt32(16),
            Committed: r.IsDBNull(17) ? JobSummary.Empty : DeserializeSummary(r.GetString(17)));
    }

    public static string SerializeSummary(JobSummary summary) => JsonSerializer.Serialize(summary, JobsJson.Default.JobSummary);

    public static JobSummary DeserializeSummary(string json) =>
        JsonSerializer.Deserialize(json, JobsJson.Default.JobSummary) ?? throw new InvalidDataException("A stored job summary is null.");

    /// <summary>The one job <paramref name="command"/> selects (<see cref="Columns"/>), or null.</summary>
    public static async Task<JobRecord?> ReadSingleAsync(
        DbCommand command, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, time) : null;
    }

    /// <summary>Every job <paramref name="command"/> selects (<see cref="Columns"/>), in its order.</summary>
    public static async Task<List<JobRecord>> ReadManyAsync(
        DbCommand command, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(Read(reader, time));
        }

        return jobs;
    }

    /// <summary>The frame results <paramref name="command"/> selects: frame_index, timestamp_ms, result_json.</summary>
    public static async Task<IReadOnlyList<JobFrameResult>> ReadResultsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var results = new List<JobFrameResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(new JobFrameResult(reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return results;
    }

    /// <summary>What a checkpoint adds to the storage a job holds: the UTF-8 size of its results' JSON.</summary>
    public static long ResultBytes(IReadOnlyList<JobFrameResult> results)
    {
        long bytes = 0;
        foreach (var result in results)
        {
            bytes += Encoding.UTF8.GetByteCount(result.ResultJson);
        }

        return bytes;
    }

    /// <summary>Time truncated to the millisecond, the precision both stores keep, so a job reads back as written.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }
}
