namespace StreamingApp.Tests.Imaging;

public sealed class FfmpegVideoDecoderTests : IDisposable
{
    private readonly FfmpegVideoDecoder _decoder = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProbeAsync_TestClip_ReportsSizeFramesAndDuration()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);

        Assert.Equal((TestVideo.Width, TestVideo.Height, TestVideo.FrameCount), (info.Width, info.Height, info.FrameCount));
        Assert.Equal(TestVideo.Fps, info.FrameRate, precision: 3);
        Assert.InRange(info.DurationMs, 7900, 8100);
    }

    [Fact]
    public async Task ProbeAsync_GarbageAfterFtyp_ThrowsReadableError()
    {
        var path = Path.Combine(_dir.Path, "bad.mp4");
        await File.WriteAllBytesAsync(path, [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', .. new byte[4000]]);

        var ex = await Assert.ThrowsAsync<VideoDecodeException>(() => _decoder.ProbeAsync(path, default));

        Assert.Equal("The file is not a readable MP4 video.", ex.Message);
        Assert.IsType<FfmpegException>(ex.InnerException);
    }

    [Fact]
    public async Task ProbeAsync_AudioOnlyMp4_ThrowsNoVideoStream()
    {
        var ex = await Assert.ThrowsAsync<VideoDecodeException>(() => _decoder.ProbeAsync(TestVideo.AudioOnly(), default));

        Assert.Equal("The file contains no video stream.", ex.Message);
    }

    [Fact]
    public async Task ProbeAsync_MatroskaVideo_RefusedBecauseOnlyTheMp4DemuxerIsUsed()
    {
        // ffprobe would read this file if it were left to guess the format.
        var path = Path.Combine(_dir.Path, "clip.mp4");
        Ffmpeg.Run($"-v error -i \"{TestVideo.ClipPath}\" -c copy -f matroska \"{path}\"");

        var ex = await Assert.ThrowsAsync<VideoDecodeException>(() => _decoder.ProbeAsync(path, default));

        Assert.Equal("The file is not a readable MP4 video.", ex.Message);
    }

    [Fact]
    public void InputArguments_AnyPath_OnlyTheFileProtocolAndTheMp4Demuxer()
    {
        var args = FfmpegProcess.InputArguments("uploads/x.mp4").ToList();

        Assert.Equal(["-protocol_whitelist", "file", "-f", "mp4", "-i", "file:" + Path.GetFullPath("uploads/x.mp4")], args);
    }

    [Fact]
    public async Task ReadFramesAsync_EveryFrame_DecodesAllWithIndexAndTimestamp()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        var seen = new List<(int, long)>();

        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info)))
        {
            using (frame)
            {
                seen.Add((frame.FrameIndex, frame.TimestampMs));
            }
        }

        Assert.Equal(TestVideo.FrameCount, seen.Count);
        Assert.Equal((7, 1400L), seen[7]);
    }

    [Fact]
    public async Task ReadFramesAsync_StrideAndMaxFrames_SkipsAndStops()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        var indexes = new List<int>();

        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info, FrameStride: 5, MaxFrames: 3)))
        {
            using (frame)
            {
                indexes.Add(frame.FrameIndex);
            }
        }

        Assert.Equal([0, 5, 10], indexes);
    }

    [Theory]
    [InlineData(5, 6, 2)]
    [InlineData(1, null, 37)]
    [InlineData(3, 4, 4)]
    public async Task ReadFramesAsync_StartAt_TheRestOfTheSameSelectionPixelForPixel(int stride, int? maxFrames, int startAt)
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        var whole = await ReadAsync(info, stride, maxFrames, startAt: 0);

        var rest = await ReadAsync(info, stride, maxFrames, startAt);

        Assert.Equal(whole.Skip(startAt).Select(f => f.Index), rest.Select(f => f.Index));
        Assert.Equal(whole.Skip(startAt).Select(f => f.Timestamp), rest.Select(f => f.Timestamp));
        Assert.Equal(whole.Skip(startAt).Select(f => f.Hash), rest.Select(f => f.Hash));
    }

    [Fact]
    public async Task ReadFramesAsync_StartAt_ResumesAtThatSelectedFrameWithinMaxFrames()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        var indexes = new List<int>();

        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info, FrameStride: 5, MaxFrames: 4) { StartAt = 2 }))
        {
            using (frame)
            {
                indexes.Add(frame.FrameIndex);
            }
        }

        Assert.Equal([10, 15], indexes);
    }

    [Fact]
    public async Task ReadFramesAsync_DecodedFrame_MatchesThePhotoShown()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        using var photo = TestVideo.FramedPhoto(TestVideo.PhotoAt(12));
        double meanAbsDiff = 0;

        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info, FrameStride: 12, MaxFrames: 2)))
        {
            using (frame)
            {
                if (frame.FrameIndex == 12)
                {
                    meanAbsDiff = MeanAbsoluteDifference(frame.Image, photo);
                }
            }
        }

        // H.264 at CRF 12 plus YUV 4:2:0 leaves a few levels of difference; another photo differs by tens.
        Assert.InRange(meanAbsDiff, 0.01, 6);
    }

    [Theory]
    [InlineData(416, 416, 416, 234)]
    [InlineData(1920, 1920, 1920, 1080)]
    [InlineData(0, 0, 3840, 2160)]
    public async Task ReadFramesAsync_4KClip_FramesScaledByFfmpegToCoverTheFit(int fitWidth, int fitHeight, int width, int height)
    {
        var clip = TestVideo.Pattern(3840, 2160, frames: 2);
        var info = await _decoder.ProbeAsync(clip, default);
        var sizes = new List<(int, int)>();

        await foreach (var frame in _decoder.ReadFramesAsync(clip, new VideoFrameRequest(info, MaxFrames: 2, Fit: new ImageSize(fitWidth, fitHeight))))
        {
            using (frame)
            {
                sizes.Add((frame.Image.Width, frame.Image.Height));
            }
        }

        Assert.Equal([(width, height), (width, height)], sizes);
    }

    [Fact]
    public async Task ReadFramesAsync_ScaledDown_StillThePhotoShown()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        using var photo = TestVideo.FramedPhoto(TestVideo.PhotoAt(12), 320, 240);
        double meanAbsDiff = 0;

        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info, FrameStride: 12, MaxFrames: 2, Fit: new ImageSize(320, 320))))
        {
            using (frame)
            {
                if (frame.FrameIndex == 12)
                {
                    meanAbsDiff = MeanAbsoluteDifference(frame.Image, photo);
                }
            }
        }

        Assert.InRange(meanAbsDiff, 0.01, 6);
    }

    [Fact]
    public async Task ReadFramesAsync_PicturesOverTheDecodersPixelLimit_ThrowsVideoDecodeException()
    {
        var decoder = new FfmpegVideoDecoder(maxPicturePixels: (TestVideo.Width * TestVideo.Height) - 1);
        var info = await decoder.ProbeAsync(TestVideo.ClipPath, default);

        var ex = await Assert.ThrowsAsync<VideoDecodeException>(async () =>
        {
            await foreach (var frame in decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info)))
            {
                frame.Dispose();
            }
        });

        Assert.Equal("The video could not be decoded before frame 0: it is damaged or in a format this server cannot read.", ex.Message);
        Assert.Contains("max pixel", ex.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_TruncatedVideo_ThrowsVideoDecodeException()
    {
        var info = await _decoder.ProbeAsync(TestVideo.ClipPath, default);
        var bytes = await File.ReadAllBytesAsync(TestVideo.ClipPath);
        var path = Path.Combine(_dir.Path, "cut.mp4");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 3)]);

        var ex = await Assert.ThrowsAsync<VideoDecodeException>(async () =>
        {
            await foreach (var frame in _decoder.ReadFramesAsync(path, new VideoFrameRequest(info)))
            {
                frame.Dispose();
            }
        });

        Assert.StartsWith("The video could not be decoded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ReadFramesAsync_WhileDecoding_FfmpegRunsAtNice19()
    {
        var (decoder, pidFile) = await PidRecordingDecoderAsync();
        var info = await decoder.ProbeAsync(TestVideo.ClipPath, default);
        var nice = -1;

        await foreach (var frame in decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info)))
        {
            frame.Dispose();
            var pid = (await File.ReadAllTextAsync(pidFile)).Trim();
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            // Fields after "(comm) ": state is field 3, nice is field 19.
            nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
            break;
        }

        Assert.Equal(19, nice);
    }

    private static double MeanAbsoluteDifference(BgrImage a, BgrImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        var x = a.Pixels;
        var y = b.Pixels;
        long sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Abs(x[i] - y[i]);
        }

        return (double)sum / x.Length;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private async Task<(FfmpegVideoDecoder Decoder, string PidFile)> PidRecordingDecoderAsync()
    {
        // A wrapper that records ffmpeg's pid, so the test watches exactly the process this decoder started.
        var pidFile = Path.Combine(_dir.Path, "pid");
        var wrapper = Path.Combine(_dir.Path, "ffmpeg.sh");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec ffmpeg \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return (new FfmpegVideoDecoder(ffmpegPath: wrapper), pidFile);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ReadFramesAsync_ConsumerStopsEarly_FfmpegIsKilled()
    {
        var (decoder, pidFile) = await PidRecordingDecoderAsync();
        var info = await decoder.ProbeAsync(TestVideo.ClipPath, default);

        await foreach (var frame in decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info)))
        {
            frame.Dispose();
            break;
        }

        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists("/proc/" + pid), "ffmpeg is gone (killed and reaped) when the enumeration ends");
    }

    private async Task<List<(int Index, long Timestamp, string Hash)>> ReadAsync(VideoInfo info, int stride, int? maxFrames, int startAt)
    {
        var frames = new List<(int, long, string)>();
        await foreach (var frame in _decoder.ReadFramesAsync(TestVideo.ClipPath, new VideoFrameRequest(info, stride, maxFrames) { StartAt = startAt }))
        {
            using (frame)
            {
                frames.Add((frame.FrameIndex, frame.TimestampMs, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(frame.Image.Pixels))));
            }
        }

        return frames;
    }
}
