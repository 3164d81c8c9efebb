using System.Diagnostics;
using StreamingApp.Core.Imaging;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// A real H.264 MP4 made once per test run with ffmpeg from COCO photos: each photo scaled and padded to 640×480,
/// shown for one second at 5 fps (40 frames, frame n shows photo n / 5).
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

    private const string Frame = "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1";

    /// <summary>Frames of <see cref="LongClipPath"/>.</summary>
    public const int LongClipFrames = 120;

    private static readonly Lazy<string> Clip = new(MakeClip);

    private static readonly Lazy<string> LongClip = new(MakeLongClip);

    /// <summary>The path of the clip (made on first use).</summary>
    public static string ClipPath => Clip.Value;

    /// <summary>
    /// A longer clip (ffmpeg's moving test pattern, 320×240, 10 fps, 12 s: <see cref="LongClipFrames"/> frames) for a
    /// job that must still be running when a test interrupts it.
    /// </summary>
    public static string LongClipPath => LongClip.Value;

    public static string PhotoAt(int frameIndex) => Photos[frameIndex / FramesPerPhoto];

    /// <summary>The photo as the clip frames it (scaled and padded), decoded by ffmpeg without video compression.</summary>
    public static BgrImage FramedPhoto(string photo)
    {
        var raw = Run(["-v", "error", "-i", TestPaths.CocoImage(photo), "-vf", Frame, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"], captureStdout: true);
        var image = BgrImage.Rent(Width, Height);
        raw.AsSpan().CopyTo(image.Pixels);
        return image;
    }

    private static string MakeClip()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streamingapp-tests", "video-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "clip.mp4");
        var args = new List<string> { "-v", "error", "-y" };
        var filter = new System.Text.StringBuilder();
        for (var i = 0; i < Photos.Length; i++)
        {
            args.AddRange(["-loop", "1", "-framerate", Fps.ToString(), "-t", "1", "-i", TestPaths.CocoImage(Photos[i])]);
            filter.Append($"[{i}:v]{Frame},format=yuv420p[v{i}];");
        }

        for (var i = 0; i < Photos.Length; i++)
        {
            filter.Append($"[v{i}]");
        }

        filter.Append($"concat=n={Photos.Length}:v=1:a=0[out]");
        args.AddRange(["-filter_complex", filter.ToString(), "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "12",
            "-pix_fmt", "yuv420p", "-r", Fps.ToString(), "-movflags", "+faststart", path]);
        Run(args, captureStdout: false);
        return path;
    }

    private static string MakeLongClip()
    {
        var path = Path.Combine(Path.GetTempPath(), "streamingapp-tests", "video-" + Environment.ProcessId, "long.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
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
