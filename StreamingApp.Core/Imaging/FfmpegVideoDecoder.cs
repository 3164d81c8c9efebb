using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// Reads videos with the ffmpeg command-line tools: <c>ffprobe</c> for the stream's facts, <c>ffmpeg</c> decoding to
/// raw BGR24 on its stdout (no intermediate JPEG). Thread-safe; each call runs its own child process.
/// </summary>
public sealed class FfmpegVideoDecoder(string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe")
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(2);
    private const int StderrTailChars = 2000;
    private const int ChunkBytes = 128 * 1024;

    /// <summary>Probes the first video stream.</summary>
    /// <exception cref="VideoDecodeException">ffprobe fails on the file or finds no video stream.</exception>
    public async Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var process = Start(ffprobePath,
            "-v", "error", "-select_streams", "v:0", "-count_packets",
            "-show_entries", "stream=width,height,nb_frames,nb_read_packets,avg_frame_rate,r_frame_rate,duration:stream_side_data=rotation:format=duration",
            "-of", "json", path);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = ReadTailAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        var json = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new VideoDecodeException("The file is not a readable video: " + Describe(errors, path, "ffprobe exit code " + process.ExitCode));
        }

        return ParseProbe(json);
    }

    /// <summary>
    /// Decodes every <paramref name="frameStride"/>-th frame (at most <paramref name="maxFrames"/> of them). Decoding runs
    /// ahead of the consumer by up to <paramref name="readAhead"/> frames, so it overlaps with whatever the consumer does
    /// with each frame. The consumer disposes each frame. Stopping the enumeration (or cancelling) kills ffmpeg.
    /// </summary>
    /// <exception cref="VideoDecodeException">ffmpeg fails, or its output ends inside a frame.</exception>
    public async IAsyncEnumerable<DecodedVideoFrame> ReadFramesAsync(
        string path,
        VideoInfo info,
        int frameStride,
        int? maxFrames,
        int readAhead = 2,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameStride, 1);
        // -xerror: a corrupt or truncated video fails instead of quietly yielding fewer frames.
        var args = new List<string> { "-nostdin", "-hide_banner", "-v", "error", "-xerror", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn" };
        if (frameStride > 1)
        {
            // Unselected frames are dropped inside ffmpeg and never cross the pipe; passthrough keeps ffmpeg from
            // duplicating frames to fill the gaps.
            args.AddRange(["-vf", $"select=not(mod(n\\,{frameStride.ToString(CultureInfo.InvariantCulture)}))"]);
        }

        args.AddRange(["-fps_mode", "passthrough"]);
        if (maxFrames is { } max)
        {
            args.AddRange(["-frames:v", max.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"]);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var process = Start(ffmpegPath, [.. args]);
        LowerPriority(process);
        var stderr = ReadTailAsync(process.StandardError);
        var channel = Channel.CreateBounded<DecodedVideoFrame>(new BoundedChannelOptions(readAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var producer = Task.Run(() => ProduceAsync(process, stderr, path, info, frameStride, maxFrames, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var frame in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            Kill(process);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already surfaced to the reader through the channel, or caused by the stop above.
            }

            // Reap it before returning, so no ffmpeg outlives the enumeration.
            using var reap = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A process that ignores SIGKILL for 10 s is the kernel's problem; do not hang the job on it.
            }

            while (channel.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }

    /// <summary>
    /// The frame shown at <paramref name="timestampMs"/>, at the video's size (<paramref name="info"/>): ffmpeg seeks
    /// there instead of decoding the video from its start. Null when the video has no frame at that time.
    /// </summary>
    /// <exception cref="VideoDecodeException">ffmpeg fails on the file.</exception>
    public async Task<BgrImage?> ReadFrameAtAsync(string path, VideoInfo info, long timestampMs, CancellationToken cancellationToken)
    {
        // Half a frame early: ffmpeg starts at the first frame at or after the seek time, which is then the frame of
        // this timestamp even though timestamps are rounded to whole milliseconds.
        var seek = Math.Max(0, (timestampMs / 1000.0) - (0.5 / info.FrameRate));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var process = Start(ffmpegPath,
            "-nostdin", "-hide_banner", "-v", "error", "-ss", seek.ToString("0.######", CultureInfo.InvariantCulture), "-i", path,
            "-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1");
        LowerPriority(process);
        var stderr = ReadTailAsync(process.StandardError);
        var image = BgrImage.Rent(info.Width, info.Height);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var filled = await FillAsync(process.StandardOutput.BaseStream, image, chunk, timeout.Token).ConfigureAwait(false);
            await ThrowIfFailedAsync(process, stderr, path, timeout.Token).ConfigureAwait(false);
            if (filled == image.Length)
            {
                return image;
            }

            image.Dispose();
            return null;
        }
        catch
        {
            image.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            Kill(process);
        }
    }

    private static async Task ProduceAsync(
        Process process, Task<string> stderr, string path, VideoInfo info, int frameStride, int? maxFrames,
        ChannelWriter<DecodedVideoFrame> writer, CancellationToken cancellationToken)
    {
        var stdout = process.StandardOutput.BaseStream;
        var frameSize = info.Width * info.Height * 3;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var n = 0; maxFrames is null || n < maxFrames; n++)
            {
                var image = BgrImage.Rent(info.Width, info.Height);
                try
                {
                    var filled = await FillAsync(stdout, image, chunk, cancellationToken).ConfigureAwait(false);
                    if (filled < frameSize)
                    {
                        image.Dispose();
                        await ThrowIfFailedAsync(process, stderr, path, cancellationToken).ConfigureAwait(false);
                        if (filled > 0)
                        {
                            throw new VideoDecodeException($"The video could not be decoded: its output ended inside frame {n}.");
                        }

                        break;
                    }

                    var index = n * frameStride;
                    var timestamp = (long)Math.Round(index * 1000.0 / info.FrameRate);
                    await writer.WriteAsync(new DecodedVideoFrame(index, timestamp, image), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    image.Dispose();
                    throw;
                }
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads raw BGR from ffmpeg's stdout into <paramref name="image"/> until it is full or the output ends.</summary>
    /// <returns>The bytes filled: the image's length, or less when the output ended first.</returns>
    private static async Task<int> FillAsync(Stream stdout, BgrImage image, byte[] chunk, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < image.Length)
        {
            var read = await stdout.ReadAsync(chunk.AsMemory(0, Math.Min(chunk.Length, image.Length - filled)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            chunk.AsSpan(0, read).CopyTo(image.Pixels[filled..]);
            filled += read;
        }

        return filled;
    }

    private static async Task ThrowIfFailedAsync(Process process, Task<string> stderr, string path, CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var errors = await stderr.ConfigureAwait(false);
            throw new VideoDecodeException("The video could not be decoded: " + Describe(errors, path, "ffmpeg exit code " + process.ExitCode));
        }
    }

    internal static VideoInfo ParseProbe(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
        {
            throw new VideoDecodeException("The file contains no video stream.");
        }

        var stream = streams[0];
        var width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0)
        {
            throw new VideoDecodeException("The video stream has no picture size.");
        }

        if (stream.TryGetProperty("side_data_list", out var sideData))
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var rotation) && Math.Abs(rotation.GetInt32()) % 180 == 90)
                {
                    (width, height) = (height, width);
                }
            }
        }

        var frameRate = Rate(stream, "avg_frame_rate") is > 0 and var avg ? avg : Rate(stream, "r_frame_rate");
        var frames = Integer(stream, "nb_frames") is > 0 and var nb ? nb : Integer(stream, "nb_read_packets");
        var seconds = Number(stream, "duration") is > 0 and var d ? d
            : doc.RootElement.TryGetProperty("format", out var format) ? Number(format, "duration") : 0;
        if (frames <= 0 || frameRate <= 0)
        {
            throw new VideoDecodeException("The video stream has no frames.");
        }

        return new VideoInfo(width, height, frames, seconds * 1000, frameRate);
    }

    private static double Rate(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.GetString() is not { } s)
        {
            return 0;
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && double.TryParse(s.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(s.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den
            : 0;
    }

    // ffprobe writes numbers as JSON strings.
    private static int Integer(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

    private static Process Start(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"'{fileName}' did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{fileName}' could not be started; is ffmpeg installed? {ex.Message}", ex);
        }
    }

    /// <summary>Reads stderr to its end (so ffmpeg never blocks on a full pipe), keeping only the last part.</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > StderrTailChars * 2)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }

        return tail.ToString();
    }

    /// <summary>ffmpeg's last error line says what went wrong; the server's file path is not the uploader's business.</summary>
    private static string Describe(string stderr, string path, string fallback)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? fallback : lines[^1].Replace(path, "video", StringComparison.Ordinal);
    }

    /// <summary>
    /// Decoding is background work: at the lowest CPU priority (nice 19) it uses only CPU that live streams leave
    /// free, so a job cannot slow a stream's inference down. Best effort: the process may already have exited.
    /// </summary>
    private static void LowerPriority(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Exited already, or the platform refuses; decoding still works at normal priority.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }
}
