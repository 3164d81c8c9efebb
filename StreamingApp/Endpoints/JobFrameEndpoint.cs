using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace StreamingApp.Endpoints;

public static partial class JobEndpoints
{
    /// <summary>
    /// <c>GET /v1/jobs/{jobId}/frames/{frameIndex}.jpg</c>: one processed frame of a completed job, taken again from
    /// the stored upload at the video's own size, with that frame's results drawn on it.
    /// </summary>
    internal static async Task<Results<FileContentHttpResult, JsonHttpResult<ApiError>>> GetFrameAsync(
        string jobId,
        int frameIndex,
        HttpContext context,
        IJobStore store,
        IJobOwnerResolver owners,
        JobDataFolder folder,
        FfmpegVideoDecoder decoder,
        CancellationToken cancellationToken)
    {
        var response = context.Response;
        var owner = owners.OwnerOf(context.User);
        var job = await FindAsync(jobId, owner, store, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        if (job.Status != JobStatus.Completed)
        {
            return Error(StatusCodes.Status409Conflict, "not_completed", $"The job is {job.Status.ToWire()}; its frames exist once it is completed.");
        }

        // The first stored result from this index on: this frame's, when it was processed.
        var page = await store.GetResultsPageAsync(job.Id, owner, afterFrameIndex: frameIndex - 1, limit: 1, cancellationToken);
        var frame = page is [{ } first] && first.FrameIndex == frameIndex ? first : null;
        var video = folder.UploadPath(Guid.Parse(job.Id));
        if (frame is null || !File.Exists(video))
        {
            return Error(StatusCodes.Status404NotFound, "not_found", frame is null
                ? $"Frame {frameIndex} has no result in this job (frame_stride {job.FrameStride}: frames 0, {job.FrameStride}, {2 * job.FrameStride}, …)."
                : "The job's video is no longer stored.");
        }

        var info = await decoder.ProbeAsync(video, cancellationToken);
        using var image = await decoder.ReadFrameAtAsync(video, info, frame.TimestampMs, ImageSize.Full, cancellationToken);
        if (image is null)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", $"The video has no frame at {frame.TimestampMs} ms.");
        }

        var result = JsonSerializer.Deserialize(frame.ResultJson, PipelineJson.Default.FrameResult)!;
        // Inline, so it can be shown as an image; the name is what "save" suggests.
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"inline; filename=\"job-{job.Id}-frame-{frameIndex}.jpg\"");
        return TypedResults.File(AnnotationRenderer.RenderJpeg(image, result), "image/jpeg");
    }
}
