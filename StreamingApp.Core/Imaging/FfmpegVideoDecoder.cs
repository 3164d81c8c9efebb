using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// Reads uploaded MP4s with the ffmpeg command-line tools (through <see cref="FfmpegProcess"/>): <c>ffprobe</c> for the
/// stream's facts, <c>ffmpeg</c> decoding to raw BGR24 on its stdout (no intermediate JPEG), scaled down inside
/// ffmpeg to what the consumer needs, so memory on this side does not grow with the video's resolution.
/// Thread-safe; each call runs its own child process.
/// </summary>
/// <param name="maxPicturePixels">
/// ffmpeg's decoder refuses pictures larger than this (<c>-max_pixels</c>): a stream whose pictures grow past what
/// ffprobe reported fails instead of making the child process allocate for it.
/// </param>
public sealed class FfmpegVideoDecoder(string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe", long maxPicturePixels = int.MaxValue)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(2);
    private const int ChunkBytes = 128 * 1024;

    /// <summary>Probes the first video stream.</summary>
    /// <exception cref="VideoDecodeException">ffprobe fails on the file, takes too long, or finds no video stream.</exception>
    public async Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        await using var ffprobe = FfmpegProcess.Start(ffprobePath, [
            "-hide_banner", "-v", "error", .. FfmpegProcess.InputArguments(path),
            "-select_streams", "v:0", "-count_packets", "-show_entries", FfprobeOutput.Entries, "-of", "json"]);
        try
        {
            var json = ffprobe.Output.ReadToEndAsync(timeout.Token);
            var exitCode = await ffprobe.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new VideoDecodeException("The file is not a readable MP4 video.", await ffprobe.FailureAsync(exitCode).ConfigureAwait(false));
            }

            return FfprobeOutput.Parse(await json.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TookTooLong();
        }
    }

    /// <summary>
    /// Decodes the frames <paramref name="request"/> selects, ahead of the consumer (so decoding overlaps with whatever
    /// it does with each frame). The consumer disposes each frame. Stopping the enumeration (or cancelling) kills ffmpeg.
    /// </summary>
    /// <exception cref="VideoDecodeException">ffmpeg fails, or its output ends inside a frame.</exception>
    public async IAsyncEnumerable<DecodedVideoFrame> ReadFramesAsync(
        string path, VideoFrameRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.FrameStride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(request.StartAt);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var ffmpeg = FfmpegProcess.Start(ffmpegPath, DecodeArguments(path, request));
        ffmpeg.LowerPriority();
        var channel = Channel.CreateBounded<DecodedVideoFrame>(new BoundedChannelOptions(request.ReadAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var producer = Task.Run(() => ProduceAsync(ffmpeg, request, channel.Writer, stop.Token), CancellationToken.None);
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
            ffmpeg.Kill();
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already surfaced to the reader through the channel, or caused by the stop above.
            }

            while (channel.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }

    /// <summary>
    /// The frame shown at <paramref name="timestampMs"/>, at the video's size scaled down to <paramref name="fit"/>
    /// (<see cref="ImageSize.Reduce"/>): ffmpeg seeks there instead of decoding the video from its start. Null when the
    /// video has no frame at that time.
    /// </summary>
    /// <exception cref="VideoDecodeException">ffmpeg fails on the file, or takes too long.</exception>
    public async Task<BgrImage?> ReadFrameAtAsync(
        string path, VideoInfo info, long timestampMs, ImageSize fit, CancellationToken cancellationToken)
    {
        // Half a frame early: ffmpeg starts at the first frame at or after the seek time, which is then the frame of
        // this timestamp even though timestamps are rounded to whole milliseconds.
        var seek = Math.Max(0, (timestampMs / 1000.0) - (0.5 / info.FrameRate));
        var size = fit.Reduce(info.Width, info.Height);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        await using var ffmpeg = FfmpegProcess.Start(ffmpegPath, [
            .. DecoderArguments(), "-ss", seek.ToString("0.######", CultureInfo.InvariantCulture), .. FfmpegProcess.InputArguments(path),
            .. OutputArguments(ScaleFilter(size), frames: 1)]);
        ffmpeg.LowerPriority();
        var image = BgrImage.Rent(size.Width, size.Height);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            if (await ReadFrameAsync(ffmpeg, image, $"at {timestampMs} ms", chunk, timeout.Token).ConfigureAwait(false))
            {
                return image;
            }

            image.Dispose();
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            image.Dispose();
            throw TookTooLong();
        }
        catch
        {
            image.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// -xerror: a corrupt or truncated video fails instead of quietly yielding fewer frames. -max_pixels is a decoder
    /// option, so it goes before the input.
    /// </summary>
    private string[] DecoderArguments() =>
        ["-nostdin", "-hide_banner", "-v", "error", "-xerror", "-max_pixels", Invariant(maxPicturePixels)];

    /// <summary>The first video stream through <paramref name="filter"/>, as raw BGR24 on stdout.</summary>
    private static IEnumerable<string> OutputArguments(string filter, int? frames)
    {
        // passthrough keeps ffmpeg from duplicating frames to fill the gaps that select leaves.
        string[] args = ["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter, "-fps_mode", "passthrough"];
        return frames is { } count
            ? [.. args, "-frames:v", Invariant(count), "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"]
            : [.. args, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"];
    }

    /// <summary>Pins every frame to one size (also if the stream changes size midway), area-averaged when it shrinks.</summary>
    private static string ScaleFilter(ImageSize size) => $"scale={Invariant(size.Width)}:{Invariant(size.Height)}:flags=area";

    private List<string> DecodeArguments(string path, VideoFrameRequest request)
    {
        // Unselected frames are dropped inside ffmpeg (decoded, as counting them needs, but never scaled nor piped).
        var scale = ScaleFilter(request.FrameSize);
        var filter = SelectFilter(request) is { } select ? select + "," + scale : scale;
        return [.. DecoderArguments(), .. FfmpegProcess.InputArguments(path), .. OutputArguments(filter, request.FramesLeft)];
    }

    private static VideoDecodeException TookTooLong() =>
        new($"Reading the video took longer than {ProbeTimeout.TotalMinutes:0} minutes.");

    /// <summary>ffmpeg's <c>select</c> for every stride-th frame from the selected frame StartAt on; null for every frame.</summary>
    private static string? SelectFilter(VideoFrameRequest request)
    {
        var stride = Invariant(request.FrameStride);
        var first = Invariant((long)request.StartAt * request.FrameStride);
        return (request.FrameStride, request.StartAt) switch
        {
            (1, 0) => null,
            (_, 0) => $"select=not(mod(n\\,{stride}))",
            (1, _) => $"select=gte(n\\,{first})",
            _ => $"select=gte(n\\,{first})*not(mod(n\\,{stride}))",
        };
    }

    private static async Task ProduceAsync(
        FfmpegProcess ffmpeg, VideoFrameRequest request, ChannelWriter<DecodedVideoFrame> writer, CancellationToken cancellationToken)
    {
        var size = request.FrameSize;
        var chunk = ArrayPool<byte>.Shared.Rent(Math.Min(ChunkBytes, size.Width * size.Height * 3));
        try
        {
            for (var n = 0; request.FramesLeft is not { } left || n < left; n++)
            {
                var image = BgrImage.Rent(size.Width, size.Height);
                try
                {
                    var index = (request.StartAt + n) * request.FrameStride;
                    if (!await ReadFrameAsync(ffmpeg, image, $"before frame {index}", chunk, cancellationToken).ConfigureAwait(false))
                    {
                        image.Dispose();
                        break;
                    }

                    var timestamp = (long)Math.Round(index * 1000.0 / request.Video.FrameRate);
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

    /// <summary>Fills <paramref name="image"/> from ffmpeg's stdout; false at a clean end of the output.</summary>
    /// <param name="position">Where in the video, for the error message ("before frame 12").</param>
    /// <exception cref="VideoDecodeException">ffmpeg failed, or its output ended inside the frame.</exception>
    private static async Task<bool> ReadFrameAsync(FfmpegProcess ffmpeg, BgrImage image, string position, byte[] chunk, CancellationToken cancellationToken)
    {
        var stdout = ffmpeg.Output.BaseStream;
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

        if (filled == image.Length)
        {
            return true;
        }

        var exitCode = await ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new VideoDecodeException(
                $"The video could not be decoded {position}: it is damaged or in a format this server cannot read.",
                await ffmpeg.FailureAsync(exitCode).ConfigureAwait(false));
        }

        return filled == 0
            ? false
            : throw new VideoDecodeException($"The video could not be decoded {position}: its output ended inside a frame.");
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
