using System.Text.Json.Serialization;
using StreamingApp.Core.Jobs;

namespace StreamingApp.Endpoints;

/// <summary>202 answer to a submit.</summary>
public sealed record JobSubmitResponse(string JobId, string Status);

/// <summary><c>GET /v1/video/status/{job_id}</c>.</summary>
public sealed record JobStatusResponse(string JobId, string Status, int Progress, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Error, string? ProcessedBy)
{
    public static JobStatusResponse From(JobRecord job) =>
        new(job.Id, job.Status.ToWire(), job.Progress, job.CreatedAt, job.UpdatedAt, job.Error, job.ProcessedBy);
}

/// <summary>An entry of <c>GET /v1/jobs</c>.</summary>
public sealed record JobListItem(
    string JobId, string PipelineId, string Status, int Progress, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Error, string? ProcessedBy)
{
    public static JobListItem From(JobRecord job) =>
        new(job.Id, job.PipelineId, job.Status.ToWire(), job.Progress, job.CreatedAt, job.UpdatedAt, job.Error, job.ProcessedBy);
}

/// <summary><c>GET /v1/jobs</c>: one page, newest first, and the total count.</summary>
public sealed record JobListResponse(IReadOnlyList<JobListItem> Jobs, int Count);

/// <summary>
/// The jobs API's JSON: snake_case, nulls written (a status always has an "error" key). A results answer's summary is
/// written as it is stored, with <see cref="JobsJson"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobSubmitResponse))]
[JsonSerializable(typeof(JobStatusResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(JobListItem))]
public sealed partial class JobApiJson : JsonSerializerContext;
