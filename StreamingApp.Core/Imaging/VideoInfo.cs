namespace StreamingApp.Core.Imaging;

/// <summary>
/// What ffprobe says about a video's first video stream. <see cref="Width"/>/<see cref="Height"/> are as displayed
/// (after the rotation ffmpeg applies by default), which is also the size of the decoded frames.
/// </summary>
public sealed record VideoInfo(int Width, int Height, int FrameCount, double DurationMs, double FrameRate);

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

/// <summary>The file is not a readable video, or ffmpeg failed on it. The message is meant for the person who uploaded it.</summary>
public sealed class VideoDecodeException(string message) : Exception(message);
