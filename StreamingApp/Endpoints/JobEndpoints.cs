using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StreamingApp.Auth;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Endpoints;

/// <summary>The MP4 upload jobs API (DESIGN §6, docs/ENDPOINTS.md "Jobs API").</summary>
public static partial class JobEndpoints
{
    private const int DefaultListLimit = 20;
    private const int MaxListLimit = 100;

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var video = endpoints.MapGroup("/v1/video").WithTags("Jobs");
        // The body is read as a stream, not bound as a form, so there is no form antiforgery to check.
        video.MapPost("/submit", SubmitAsync).DisableAntiforgery().RequireRateLimiting(AccessControl.SubmitPolicy);
        video.MapGet("/status/{jobId}", GetStatusAsync);
        video.MapGet("/results/{jobId}", GetResultsAsync);

        var jobs = endpoints.MapGroup("/v1/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{jobId}/video", GetVideoAsync);
        jobs.MapGet("/{jobId}/frames/{frameIndex:int}.jpg", GetFrameAsync);

        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<JobSubmitResponse>, JsonHttpResult<ApiError>>> SubmitAsync(
        HttpContext context,
        [FromQuery(Name = "pipeline_id")] string? pipelineId,
        [FromQuery(Name = "frame_stride")] string? frameStride,
        [FromQuery(Name = "max_frames")] string? maxFrames,
        IPipelineCatalog catalog,
        JobStore store,
        JobDataFolder folder,
        FfmpegVideoDecoder decoder,
        IOptions<JobOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(pipelineId))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_pipeline", "The query parameter 'pipeline_id' is required.");
        }

        if (!catalog.TryGet(pipelineId, out _))
        {
            return Error(StatusCodes.Status404NotFound, "invalid_pipeline", $"The pipeline '{pipelineId}' does not exist.");
        }

        var limits = options.Value;
        var jobId = Guid.NewGuid();
        var tempPath = folder.TempUploadPath(jobId);
        try
        {
            var (outcome, upload) = await JobUploadReceiver.ReceiveAsync(context.Request, tempPath, limits.MaxUploadBytes, cancellationToken);
            switch (outcome)
            {
                case JobUploadReceiver.Outcome.NotMultipart:
                    return Error(StatusCodes.Status400BadRequest, "missing_file", "Send the video as multipart/form-data in a field named 'file'.");
                case JobUploadReceiver.Outcome.MissingFile:
                    return Error(StatusCodes.Status400BadRequest, "missing_file", "The request has no field named 'file'.");
                case JobUploadReceiver.Outcome.TooLarge:
                    return Error(StatusCodes.Status413PayloadTooLarge, "file_too_large",
                        $"The upload is larger than the limit of {FormatBytes(limits.MaxUploadBytes)}.");
            }

            // Form fields win over the query string when both are given.
            var fields = upload!.Fields;
            if (!JobUploadReceiver.TryParseInt(fields.GetValueOrDefault("frame_stride") ?? frameStride, out var stride) || stride is < 1 || stride > limits.MaxFrameStride)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_parameter", $"'frame_stride' must be a whole number from 1 to {limits.MaxFrameStride}.");
            }

            if (!JobUploadReceiver.TryParseInt(fields.GetValueOrDefault("max_frames") ?? maxFrames, out var max) || max is < 1)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_parameter", "'max_frames' must be a whole number of at least 1.");
            }

            if (!upload.HasFtyp)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_video", "The file is not an MP4 video (no 'ftyp' box at its start).");
            }

            try
            {
                await decoder.ProbeAsync(tempPath, cancellationToken);
            }
            catch (VideoDecodeException ex)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_video", ex.Message);
            }

            // Complete and checked: only now does it become the job's upload.
            File.Move(tempPath, folder.UploadPath(jobId));
            var job = await store.CreateAsync(
                new NewJob(jobId.ToString("D"), pipelineId, stride ?? 1, max, JobUploadReceiver.SanitizeFileName(upload.FileName), upload.Length),
                CancellationToken.None);
            Log.JobSubmitted(loggerFactory.CreateLogger(typeof(JobEndpoints).FullName!), job.Id, upload.Length, pipelineId);
            context.Response.Headers.Location = "/v1/video/status/" + job.Id;
            return TypedResults.Json(new JobSubmitResponse(job.Id, job.Status.ToWire()), JobApiJson.Default.JobSubmitResponse, statusCode: StatusCodes.Status202Accepted);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    internal static async Task<Results<JsonHttpResult<JobStatusResponse>, JsonHttpResult<ApiError>>> GetStatusAsync(
        string jobId, JobStore store, CancellationToken cancellationToken)
    {
        var job = await FindAsync(jobId, store, cancellationToken);
        return job is null
            ? NotFound(jobId)
            : TypedResults.Json(JobStatusResponse.From(job), JobApiJson.Default.JobStatusResponse);
    }

    internal static async Task<Results<PushStreamHttpResult, JsonHttpResult<ApiError>>> GetResultsAsync(
        string jobId, JobStore store, CancellationToken cancellationToken)
    {
        var job = await FindAsync(jobId, store, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        var results = job.Status == JobStatus.Completed ? await store.GetResultsAsync(job.Id, cancellationToken) : null;
        if (results is not { } completed)
        {
            return Error(StatusCodes.Status409Conflict, "not_completed", $"The job is {job.Status.ToWire()}; results exist once it is completed.");
        }

        // Each frame's result was serialized with PipelineJson when it was made; it is written through unchanged.
        return TypedResults.Stream(async body =>
        {
            await using var json = new Utf8JsonWriter(body);
            json.WriteStartObject();
            json.WriteString("job_id", job.Id);
            json.WriteString("pipeline_id", job.PipelineId);
            json.WriteString("status", job.Status.ToWire());
            json.WriteStartArray("results");
            foreach (var frame in completed.Frames)
            {
                json.WriteStartObject();
                json.WriteNumber("frame_index", frame.FrameIndex);
                json.WriteNumber("timestamp_ms", frame.TimestampMs);
                json.WritePropertyName("result");
                json.WriteRawValue(frame.ResultJson, skipInputValidation: true);
                json.WriteEndObject();
                if (json.BytesPending > 32 * 1024)
                {
                    await json.FlushAsync();
                }
            }

            json.WriteEndArray();
            json.WritePropertyName("summary");
            json.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(completed.Summary, JobApiJson.Default.JobSummary), skipInputValidation: true);
            json.WriteEndObject();
            await json.FlushAsync();
        }, "application/json; charset=utf-8");
    }

    internal static async Task<Results<JsonHttpResult<JobListResponse>, JsonHttpResult<ApiError>>> ListAsync(
        JobStore store,
        [FromQuery] int? limit,
        [FromQuery] int? skip,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit || skip is < 0)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", $"'limit' must be 1 to {MaxListLimit} and 'skip' at least 0.");
        }

        var (jobs, count) = await store.ListAsync(limit ?? DefaultListLimit, skip ?? 0, cancellationToken);
        var items = new List<JobListItem>(jobs.Count);
        foreach (var job in jobs)
        {
            items.Add(JobListItem.From(job));
        }

        return TypedResults.Json(new JobListResponse(items, count), JobApiJson.Default.JobListResponse);
    }

    internal static async Task<Results<PhysicalFileHttpResult, JsonHttpResult<ApiError>>> GetVideoAsync(
        string jobId, JobStore store, JobDataFolder folder, CancellationToken cancellationToken)
    {
        var job = await FindAsync(jobId, store, cancellationToken);
        var path = job is null ? null : folder.UploadPath(Guid.Parse(job.Id));
        if (path is null || !File.Exists(path))
        {
            return NotFound(jobId);
        }

        // Range requests let the player seek without downloading the whole file.
        return TypedResults.PhysicalFile(path, "video/mp4", enableRangeProcessing: true);
    }

    /// <summary>Job ids are GUIDs; anything else cannot name a job (or a file).</summary>
    private static async Task<JobRecord?> FindAsync(string jobId, JobStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(jobId, out var id) ? await store.GetAsync(id.ToString("D"), cancellationToken) : null;

    private static JsonHttpResult<ApiError> NotFound(string jobId) =>
        Error(StatusCodes.Status404NotFound, "not_found", $"No job has the id '{jobId}'.");

    private static JsonHttpResult<ApiError> Error(int status, string code, string detail) =>
        ApiError.Result(status, code, detail);

    private static string FormatBytes(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Job {JobId} submitted: {Bytes} bytes, pipeline {PipelineId}")]
        public static partial void JobSubmitted(ILogger logger, string jobId, long bytes, string pipelineId);
    }
}
