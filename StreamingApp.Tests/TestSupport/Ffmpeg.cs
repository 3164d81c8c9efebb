using System.Diagnostics;

namespace StreamingApp.Tests.TestSupport;

/// <summary>Runs the system ffmpeg to make test media whose content is known.</summary>
public static class Ffmpeg
{
    /// <summary>
    /// One JPEG frame from an lavfi source, e.g. <c>color=c=red:s=64x48</c> (a filter chain may follow it; the source
    /// is quoted, so it may contain spaces, but no double quotes).
    /// </summary>
    public static byte[] EncodeJpeg(string lavfiSource) =>
        Run($"-v error -f lavfi -i \"{lavfiSource}\" -frames:v 1 -f image2pipe -c:v mjpeg -q:v 2 -");

    /// <summary>
    /// Re-encodes <paramref name="inputPath"/> as a JPEG with a video filter (e.g. <c>scale=640:480</c>) at an ffmpeg
    /// quality (<c>-q:v</c>, 2 best … 31).
    /// </summary>
    public static byte[] ConvertJpeg(string inputPath, string filter, int quality = 3) =>
        Run($"-v error -i \"{inputPath}\" -vf {filter} -frames:v 1 -f image2pipe -c:v mjpeg -q:v {quality} -");

    /// <summary>Decodes an image with ffmpeg's own decoder (independent of TurboJPEG) into a BGR image.</summary>
    public static StreamingApp.Core.Imaging.BgrImage DecodeBgr(string path, int width, int height)
    {
        var raw = Run($"-v error -i \"{path}\" -f rawvideo -pix_fmt bgr24 -");
        var image = StreamingApp.Core.Imaging.BgrImage.Rent(width, height);
        if (raw.Length != image.Length)
        {
            image.Dispose();
            throw new InvalidOperationException($"ffmpeg gave {raw.Length} bytes for {path}, expected {width}x{height}x3");
        }

        raw.CopyTo(image.Pixels);
        return image;
    }

    /// <summary>A still image as a y4m clip at 640×480, 15 FPS, yuv420p: what Chromium's fake camera plays.</summary>
    public static void StillToY4m(string imagePath, string y4mPath, int seconds) =>
        Run($"-v error -y -loop 1 -i \"{imagePath}\" -vf scale=640:480 -r 15 -t {seconds} -pix_fmt yuv420p \"{y4mPath}\"");

    /// <summary>Rewrites a PNG with a 256-colour palette: docs screenshots at about a third of the size.</summary>
    public static void PalettizePng(string path)
    {
        var temp = path + ".tmp.png";
        Run($"-v error -y -i \"{path}\" -vf \"split[a][b];[a]palettegen[p];[b][p]paletteuse=dither=none\" \"{temp}\"");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes <paramref name="inputPath"/> played <paramref name="times"/> times over into one video, without re-encoding.</summary>
    public static void Loop(string inputPath, string outputPath, int times) =>
        Run($"-v error -y -stream_loop {times - 1} -i \"{inputPath}\" -c copy \"{outputPath}\"");

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> (one command line) and returns its stdout.</summary>
    public static byte[] Run(string arguments)
    {
        var psi = new ProcessStartInfo("ffmpeg", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {arguments} failed: {stderr.Result}");
        }

        return output.ToArray();
    }
}
