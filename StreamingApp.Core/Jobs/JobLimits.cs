using System.Globalization;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// What a video must be to become a job (section <c>Jobs</c>): checked at submit, and again when the job runs (the
/// limits may have changed since, or the job was submitted elsewhere). Each check returns the first limit broken as a
/// sentence for the uploader, or null.
/// </summary>
public static class JobLimits
{
    /// <summary>Picture size and duration.</summary>
    public static string? CheckVideo(VideoInfo video, JobOptions limits)
    {
        if (video.Pixels > limits.MaxVideoPixels)
        {
            return Invariant($"The video is {video.Width}x{video.Height} ({video.Pixels} pixels), over the limit of {limits.MaxVideoPixels} pixels.");
        }

        return video.DurationMs > limits.MaxDurationSeconds * 1000.0
            ? Invariant($"The video lasts {video.DurationMs / 1000:0.#} seconds, over the limit of {limits.MaxDurationSeconds} seconds.")
            : null;
    }

    /// <summary>The <c>max_frames</c> parameter itself (null: not given).</summary>
    public static string? CheckMaxFrames(int? maxFrames, JobOptions limits) =>
        maxFrames is < 1 || maxFrames > limits.MaxFrames ? MaxFramesRule(limits) : null;

    public static string MaxFramesRule(JobOptions limits) => Invariant($"'max_frames' must be a whole number from 1 to {limits.MaxFrames}.");

    /// <summary>How many frames the job would process, against <see cref="JobOptions.MaxFrames"/>.</summary>
    public static string? CheckFrameCount(VideoInfo video, int frameStride, int? maxFrames, JobOptions limits)
    {
        var frames = JobProcessor.FramesToProcess(video.FrameCount, frameStride, maxFrames);
        return frames > limits.MaxFrames
            ? Invariant($"The video has {frames} frames to process at frame_stride {frameStride}, over the limit of {limits.MaxFrames}: set a larger 'frame_stride' or a 'max_frames' of at most {limits.MaxFrames}.")
            : null;
    }

    /// <summary>The most frames a job processes: its <c>max_frames</c>, never more than the limit.</summary>
    public static int EffectiveMaxFrames(int? maxFrames, JobOptions limits) => Math.Min(maxFrames ?? int.MaxValue, limits.MaxFrames);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
