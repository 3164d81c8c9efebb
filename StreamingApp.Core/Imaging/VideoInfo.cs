namespace StreamingApp.Core.Imaging;

/// <summary>
/// What ffprobe says about a video's first video stream. <see cref="Width"/>/<see cref="Height"/> are as displayed
/// (after the rotation ffmpeg applies by default): decoded frames have this size unless a <see cref="VideoFrameRequest"/>
/// scales them down.
/// </summary>
public sealed record VideoInfo(int Width, int Height, int FrameCount, double DurationMs, double FrameRate)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>
/// Which frames of a video to decode, and how small they may be: every <see cref="FrameStride"/>-th frame, at most
/// <see cref="MaxFrames"/> of them, starting with the selected frame number <see cref="StartAt"/> (0-based among the
/// selected ones: a resumed job passes the count it has done; <see cref="MaxFrames"/> still counts from the first),
/// each scaled down by ffmpeg (area average) to what fitting it into <see cref="Fit"/> needs
/// (<see cref="ImageSize.Reduce"/>; <see cref="ImageSize.Full"/> keeps the video's size). Decoding runs ahead of the
/// consumer by up to <see cref="ReadAhead"/> frames.
/// </summary>
public sealed record VideoFrameRequest(VideoInfo Video, int FrameStride = 1, int? MaxFrames = null, ImageSize Fit = default, int ReadAhead = 2)
{
    public int StartAt { get; init; }

    /// <summary>The size of every decoded frame.</summary>
    public ImageSize FrameSize => Fit.Reduce(Video.Width, Video.Height);

    /// <summary>How many frames this request yields at most (null: to the end of the video).</summary>
    public int? FramesLeft => MaxFrames is { } max ? Math.Max(max - StartAt, 0) : null;
}

/// <summary>
/// One decoded frame: its 0-based index in the video, its presentation time, and the pixels (owned by this
/// object: dispose it to give the buffer back).
/// </summary>
public sealed class DecodedVideoFrame(int frameIndex, long timestampMs, BgrImage image) : IDisposable
{
    public int FrameIndex { get; } = frameIndex;

    public long TimestampMs { get; } = timestampMs;

    public BgrImage Image { get; } = image;

    public void Dispose() => Image.Dispose();
}

/// <summary>
/// The file is not a readable video, or ffmpeg failed on it. The message is meant for the person who uploaded it and
/// never names a path; what ffmpeg said is the <see cref="Exception.InnerException"/> (an <see cref="FfmpegException"/>),
/// for the log.
/// </summary>
public sealed class VideoDecodeException(string message, Exception? innerException = null) : Exception(message, innerException);
