using System.Text.Json;
using StreamingApp.Core.Jobs;

namespace StreamingApp.Endpoints;

/// <summary>
/// Writes <c>GET /v1/video/results/{id}</c> as the results are read from the store, page by page: memory stays flat
/// however long the job, and no database connection waits on a slow client.
/// </summary>
internal static class JobResultsWriter
{
    private const int FlushBytes = 32 * 1024;

    public static async Task WriteAsync(Stream body, IJobStore store, JobRecord job, string? owner, JobSummary summary, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("job_id", job.Id);
        json.WriteString("pipeline_id", job.PipelineId);
        json.WriteString("status", job.Status.ToWire());
        json.WriteStartArray("results");
        var written = 0;
        await foreach (var frame in store.ReadResultsAsync(job.Id, owner, cancellationToken))
        {
            // Each frame's result was serialized with PipelineJson when it was made; it is written through unchanged.
            json.WriteStartObject();
            json.WriteNumber("frame_index", frame.FrameIndex);
            json.WriteNumber("timestamp_ms", frame.TimestampMs);
            json.WritePropertyName("result");
            json.WriteRawValue(frame.ResultJson, skipInputValidation: true);
            json.WriteEndObject();
            written++;
            if (json.BytesPending > FlushBytes)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        if (written != summary.Frames)
        {
            // Deleted while being read: a cut connection, never a well-formed answer with results missing.
            context.Abort();
            return;
        }

        json.WriteEndArray();
        json.WritePropertyName("summary");
        // Serialized apart: JsonSerializer.Serialize(json, …) would flush synchronously, which the response body refuses.
        json.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(summary, JobsJson.Default.JobSummary), skipInputValidation: true);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}
