using System.Diagnostics;
using StreamingApp.Core.Imaging;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// A real H.264 MP4 made once per test run with ffmpeg from COCO photos: each photo scaled and padded to 640×480,
/// shown for one second at 5 fps (40 frames, frame n shows photo n / 5). <see cref="ClipAt"/> makes the same clip at
/// other sizes and rates.
/// </summary>
public static class TestVideo
{
    public const int Width = 640;
    public const int Height = 480;
    public const int Fps = 5;
    public const int FramesPerPhoto = Fps;

    public static readonly string[] Photos =
    [
        "000000000632.jpg", "000000001000.jpg", "000000001296.jpg", "000000001353.jpg",
        "000000001425.jpg", "000000001490.jpg", "000000001532.jpg", "000000001584.jpg",
    ];

    public static int FrameCount => Photos.Length * FramesPerPhoto;

    /// <summary>Frames of <see cref="LongClipPath"/>.</summary>
    public const int LongClipFrames = 120;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, int), Lazy<string>> Clips = new();

    private static readonly Lazy<string> LongClip = new(MakeLongClip);

    /// <summary>The path of the clip (made on first use).</summary>
    public static string ClipPath => ClipAt(Width, Height, Fps);

    /// <summary>
    /// The clip with each photo framed at <paramref name="width"/>×<paramref name="height"/>, one second per photo. At
    /// least 2 fps: at 1 fps ffmpeg's rate conversion drops frames at the joins.
    /// </summary>
    public static string ClipAt(int width, int height, int fps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 2);
        return Clips.GetOrAdd((width, height, fps), key => new Lazy<string>(() => MakeClip(key.Item1, key.Item2, key.Item3))).Value;
    }

    /// <summary>
    /// A synthetic clip (ffmpeg's test pattern) of <paramref name="frames"/> frames at any size, quick to encode: for
    /// tests about sizes, not content. Made once per size.
    /// </summary>
    public static string Pattern(int width, int height, int frames) =>
        Clips.GetOrAdd((width, height, -frames), _ => new Lazy<string>(() =>
        {
            var path = Path.Combine(Directory(), $"pattern-{width}x{height}-{frames}.mp4");
            Run(["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=s={width}x{height}:r=5", "-frames:v", frames.ToString(),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path], captureStdout: false);
            return path;
        })).Value;

    /// <summary>An MP4 with one second of sound and no video stream.</summary>
    public static string AudioOnly() =>
        Clips.GetOrAdd((0, 0, 0), _ => new Lazy<string>(() =>
        {
            var path = Path.Combine(Directory(), "audio-only.mp4");
            Run(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", path], captureStdout: false);
            return path;
        })).Value;

    private static string Directory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streamingapp-tests", "video-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Frame(int width, int height) =>
        $"scale={width}:{height}:force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1";

    /// <summary>
    /// A longer clip (ffmpeg's moving test pattern, 320×240, 10 fps, 12 s: <see cref="LongClipFrames"/> frames) for a
    /// job that must still be running when a test interrupts it.
    /// </summary>
    public static string LongClipPath => LongClip.Value;

    public static string PhotoAt(int frameIndex) => Photos[frameIndex / FramesPerPhoto];

    /// <summary>
    /// The photo as the clip frames it (scaled and padded), decoded by ffmpeg without video compression; at another
    /// size, the clip's frame scaled down by area averaging.
    /// </summary>
    public static BgrImage FramedPhoto(string photo, int width = Width, int height = Height)
    {
        var filter = Frame(Width, Height) + (width == Width && height == Height ? "" : $",scale={width}:{height}:flags=area");
        var raw = Run(["-v", "error", "-i", TestPaths.CocoImage(photo), "-vf", filter, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"], captureStdout: true);
        var image = BgrImage.Rent(width, height);
        raw.AsSpan().CopyTo(image.Pixels);
        return image;
    }

    private static string MakeClip(int width, int height, int fps)
    {
        var path = Path.Combine(Directory(), $"clip-{width}x{height}-{fps}.mp4");
        var args = new List<string> { "-v", "error", "-y" };
        var filter = new System.Text.StringBuilder();
        for (var i = 0; i < Photos.Length; i++)
        {
            args.AddRange(["-loop", "1", "-framerate", fps.ToString(), "-t", "1", "-i", TestPaths.CocoImage(Photos[i])]);
            filter.Append($"[{i}:v]{Frame(width, height)},format=yuv420p[v{i}];");
        }

        for (var i = 0; i < Photos.Length; i++)
        {
            filter.Append($"[v{i}]");
        }

        filter.Append($"concat=n={Photos.Length}:v=1:a=0[out]");
        args.AddRange(["-filter_complex", filter.ToString(), "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "12",
            "-pix_fmt", "yuv420p", "-r", fps.ToString(), "-movflags", "+faststart", path]);
        Run(args, captureStdout: false);
        return path;
    }

    private static string MakeLongClip()
    {
        var path = Path.Combine(Directory(), "long.mp4");
        Run(["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=320x240:rate=10:duration={LongClipFrames / 10}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path], captureStdout: false);
        return path;
    }

    private static byte[] Run(IEnumerable<string> args, bool captureStdout)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = captureStdout, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        if (captureStdout)
        {
            process.StandardOutput.BaseStream.CopyTo(stdout);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + stderr.Result);
        }

        return stdout.ToArray();
    }
}
