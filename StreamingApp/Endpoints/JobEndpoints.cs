using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StreamingApp.Auth;

namespace StreamingApp.Endpoints;

/// <summary>The MP4 upload jobs API (docs/ENDPOINTS.md, "Jobs API").</summary>
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
        jobs.MapDelete("/{jobId}", DeleteAsync);

        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<JobSubmitResponse>, JsonHttpResult<ApiError>>> SubmitAsync(
        HttpContext context,
        [FromQuery(Name = "pipeline_id")] string? pipelineId,
        [FromQuery(Name = "frame_stride")] string? frameStride,
        [FromQuery(Name = "max_frames")] string? maxFrames,
        IPipelineCatalog catalog,
        IJobStore store,
        JobDataFolder folder,
        FfmpegVideoDecoder decoder,
        IJobOwnerResolver owners,
        IOptions<JobOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if ((CheckPipeline(pipelineId, catalog) ?? await CheckStorageAsync(store, limits, context.Request.ContentLength ?? 0, cancellationToken)) is { } refused)
        {
            return refused;
        }

        var logger = loggerFactory.CreateLogger(typeof(JobEndpoints).FullName!);
        var jobId = Guid.NewGuid();
        var tempPath = folder.TempUploadPath(jobId);
        try
        {
            var (outcome, upload) = await JobUploadReceiver.ReceiveAsync(context.Request, tempPath, limits.MaxUploadBytes, cancellationToken);
            if (CheckUpload(outcome, limits) is { } unreadable)
            {
                return unreadable;
            }

            if (ParseParameters(upload!.Fields, frameStride, maxFrames, limits, out var stride, out var max) is { } invalid)
            {
                return invalid;
            }

            if ((await CheckVideoAsync(jobId, upload, tempPath, stride ?? 1, max, decoder, limits, logger, cancellationToken)
                ?? await CheckStorageAsync(store, limits, upload.Length, cancellationToken)) is { } unfit)
            {
                return unfit;
            }

            // Complete and checked: only now does it become the job's upload.
            File.Move(tempPath, folder.UploadPath(jobId));
            var job = await store.CreateAsync(
                new NewJob(jobId.ToString("D"), pipelineId!, stride ?? 1, max, JobUploadReceiver.SanitizeFileName(upload.FileName), upload.Length, owners.OwnerOf(context.User)),
                CancellationToken.None);
            Log.JobSubmitted(logger, job.Id, upload.Length, job.PipelineId);
            context.Response.Headers.Location = "/v1/video/status/" + job.Id;
            return TypedResults.Json(new JobSubmitResponse(job.Id, job.Status.ToWire()), JobApiJson.Default.JobSubmitResponse, statusCode: StatusCodes.Status202Accepted);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    internal static async Task<Results<JsonHttpResult<JobStatusResponse>, JsonHttpResult<ApiError>>> GetStatusAsync(
        string jobId, ClaimsPrincipal user, IJobStore store, IJobOwnerResolver owners, CancellationToken cancellationToken)
    {
        var job = await FindAsync(jobId, owners.OwnerOf(user), store, cancellationToken);
        return job is null
            ? NotFound(jobId)
            : TypedResults.Json(JobStatusResponse.From(job), JobApiJson.Default.JobStatusResponse);
    }

    internal static async Task<Results<PushStreamHttpResult, JsonHttpResult<ApiError>>> GetResultsAsync(
        string jobId, HttpContext context, IJobStore store, IJobOwnerResolver owners, CancellationToken cancellationToken)
    {
        var owner = owners.OwnerOf(context.User);
        var job = await FindAsync(jobId, owner, store, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        var summary = job.Status == JobStatus.Completed ? await store.GetSummaryAsync(job.Id, owner, cancellationToken) : null;
        return summary is null
            ? Error(StatusCodes.Status409Conflict, "not_completed", $"The job is {job.Status.ToWire()}; results exist once it is completed.")
            : TypedResults.Stream(body => JobResultsWriter.WriteAsync(body, store, job, owner, summary, context), "application/json; charset=utf-8");
    }

    internal static async Task<Results<JsonHttpResult<JobListResponse>, JsonHttpResult<ApiError>>> ListAsync(
        ClaimsPrincipal user,
        IJobStore store,
        IJobOwnerResolver owners,
        [FromQuery] int? limit,
        [FromQuery] int? skip,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit || skip is < 0)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", $"'limit' must be 1 to {MaxListLimit} and 'skip' at least 0.");
        }

        var (jobs, count) = await store.ListAsync(owners.OwnerOf(user), limit ?? DefaultListLimit, skip ?? 0, cancellationToken);
        var items = new List<JobListItem>(jobs.Count);
        foreach (var job in jobs)
        {
            items.Add(JobListItem.From(job));
        }

        return TypedResults.Json(new JobListResponse(items, count), JobApiJson.Default.JobListResponse);
    }

    internal static async Task<Results<PhysicalFileHttpResult, JsonHttpResult<ApiError>>> GetVideoAsync(
        string jobId, ClaimsPrincipal user, IJobStore store, IJobOwnerResolver owners, JobDataFolder folder, CancellationToken cancellationToken)
    {
        var job = await FindAsync(jobId, owners.OwnerOf(user), store, cancellationToken);
        var path = job is null ? null : folder.UploadPath(Guid.Parse(job.Id));
        if (path is null || !File.Exists(path))
        {
            return NotFound(jobId);
        }

        // Range requests let the player seek without downloading the whole file.
        return TypedResults.PhysicalFile(path, "video/mp4", enableRangeProcessing: true);
    }

    /// <summary>Upload, results and row gone; a running job's worker, on whichever instance, stops.</summary>
    internal static async Task<Results<NoContent, JsonHttpResult<ApiError>>> DeleteAsync(
        string jobId, ClaimsPrincipal user, JobDeletion deletion, IJobOwnerResolver owners, CancellationToken cancellationToken) =>
        await deletion.DeleteAsync(jobId, owners.OwnerOf(user), cancellationToken) ? TypedResults.NoContent() : NotFound(jobId);

    private static JsonHttpResult<ApiError>? CheckPipeline(string? pipelineId, IPipelineCatalog catalog) =>
        string.IsNullOrEmpty(pipelineId) ? Error(StatusCodes.Status400BadRequest, "invalid_pipeline", "The query parameter 'pipeline_id' is required.")
        : !catalog.TryGet(pipelineId, out _) ? Error(StatusCodes.Status404NotFound, "invalid_pipeline", $"The pipeline '{pipelineId}' does not exist.")
        : null;

    /// <summary>Refuses an upload that would take the jobs past <c>Jobs:MaxStorageBytes</c>, before and after receiving it.</summary>
    private static async Task<JsonHttpResult<ApiError>?> CheckStorageAsync(IJobStore store, JobOptions limits, long incomingBytes, CancellationToken cancellationToken)
    {
        var used = await store.GetStorageBytesAsync(cancellationToken);
        return used + incomingBytes <= limits.MaxStorageBytes
            ? null
            : Error(StatusCodes.Status507InsufficientStorage, "storage_full",
                $"The job storage is full: {FormatBytes(used)} of {FormatBytes(limits.MaxStorageBytes)} used, this upload needs {FormatBytes(incomingBytes)}. Delete old jobs, or try again later.");
    }

    private static JsonHttpResult<ApiError>? CheckUpload(JobUploadReceiver.Outcome outcome, JobOptions limits) => outcome switch
    {
        JobUploadReceiver.Outcome.NotMultipart => Error(StatusCodes.Status400BadRequest, "missing_file", "Send the video as multipart/form-data in a field named 'file'."),
        JobUploadReceiver.Outcome.MissingFile => Error(StatusCodes.Status400BadRequest, "missing_file", "The request has no field named 'file'."),
        JobUploadReceiver.Outcome.TooLarge => Error(StatusCodes.Status413PayloadTooLarge, "file_too_large",
            $"The upload is larger than the limit of {FormatBytes(limits.MaxUploadBytes)}."),
        JobUploadReceiver.Outcome.TooManyParts => Error(StatusCodes.Status400BadRequest, "invalid_upload",
            $"The upload has more than {JobUploadReceiver.MaxParts} parts; send 'file' and, if wanted, 'frame_stride' and 'max_frames'."),
        JobUploadReceiver.Outcome.SecondFile => Error(StatusCodes.Status400BadRequest, "invalid_upload", "The upload has more than one part named 'file'."),
        JobUploadReceiver.Outcome.FieldTooLong => Error(StatusCodes.Status400BadRequest, "invalid_parameter",
            $"A form field is longer than {JobUploadReceiver.MaxFieldChars} characters."),
        JobUploadReceiver.Outcome.Malformed => Error(StatusCodes.Status400BadRequest, "invalid_upload",
            $"The body is not well-formed multipart/form-data, or a part has more than {JobUploadReceiver.MaxPartHeaders} headers or {JobUploadReceiver.MaxPartHeaderBytes} bytes of them."),
        _ => null,
    };

    /// <summary>frame_stride and max_frames; form fields win over the query string when both are given.</summary>
    private static JsonHttpResult<ApiError>? ParseParameters(
        IReadOnlyDictionary<string, string> fields, string? frameStride, string? maxFrames, JobOptions limits, out int? stride, out int? max)
    {
        max = null;
        if (!JobUploadReceiver.TryParseInt(fields.GetValueOrDefault("frame_stride") ?? frameStride, out stride) || stride is < 1 || stride > limits.MaxFrameStride)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", $"'frame_stride' must be a whole number from 1 to {limits.MaxFrameStride}.");
        }

        var parsed = JobUploadReceiver.TryParseInt(fields.GetValueOrDefault("max_frames") ?? maxFrames, out max);
        return (parsed ? JobLimits.CheckMaxFrames(max, limits) : JobLimits.MaxFramesRule(limits)) is { } problem
            ? Error(StatusCodes.Status400BadRequest, "invalid_parameter", problem)
            : null;
    }

    /// <summary>An MP4 that ffprobe reads, within the video limits and the frame limit.</summary>
    private static async Task<JsonHttpResult<ApiError>?> CheckVideoAsync(
        Guid jobId, JobUploadReceiver.Upload upload, string tempPath, int stride, int? max, FfmpegVideoDecoder decoder, JobOptions limits,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (!upload.HasFtyp)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_video", "The file is not an MP4 video (no 'ftyp' box at its start).");
        }

        VideoInfo video;
        try
        {
            video = await decoder.ProbeAsync(tempPath, cancellationToken);
        }
        catch (VideoDecodeException ex)
        {
            // The detail is written for the uploader; what ffprobe said (naming the server's path) goes to the log.
            Log.UploadRefused(logger, jobId, ex.Message, ex.InnerException);
            return Error(StatusCodes.Status400BadRequest, "invalid_video", ex.Message);
        }

        if (JobLimits.CheckVideo(video, limits) is { } tooBig)
        {
            Log.UploadRefused(logger, jobId, tooBig, null);
            return Error(StatusCodes.Status400BadRequest, "invalid_video", tooBig);
        }

        return JobLimits.CheckFrameCount(video, stride, max, limits) is { } tooMany
            ? Error(StatusCodes.Status400BadRequest, "invalid_parameter", tooMany)
            : null;
    }

    /// <summary>Job ids are GUIDs; anything else cannot name a job (or a file). Another owner's job is not found.</summary>
    private static async Task<JobRecord?> FindAsync(string jobId, string? owner, IJobStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(jobId, out var id) ? await store.GetAsync(id.ToString("D"), owner, cancellationToken) : null;

    private static JsonHttpResult<ApiError> NotFound(string jobId) =>
        Error(StatusCodes.Status404NotFound, "not_found", $"No job has the id '{jobId}'.");

    private static JsonHttpResult<ApiError> Error(int status, string code, string detail) =>
        ApiError.Result(status, code, detail);

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
        >= 1024 * 1024 => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Job {JobId} submitted: {Bytes} bytes, pipeline {PipelineId}")]
        public static partial void JobSubmitted(ILogger logger, string jobId, long bytes, string pipelineId);

        [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Upload {UploadId} refused as invalid_video: {Detail}")]
        public static partial void UploadRefused(ILogger logger, Guid uploadId, string detail, Exception? exception);
    }
}
