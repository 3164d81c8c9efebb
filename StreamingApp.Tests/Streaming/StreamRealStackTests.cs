using System.Net.WebSockets;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// The real stack on real Kestrel: TurboJPEG, the <c>yolo</c> pipeline with YOLOX-nano, COCO photos; two inference
/// cores whatever the machine.
/// </summary>
public sealed class StreamRealStackTests : IClassFixture<StreamRealStackTests.Host>
{
    private const string BusPhoto = "000000001584.jpg";

    private readonly StreamTestHost _host;
    private readonly ITestOutputHelper _output;
    private readonly byte[] _bus = File.ReadAllBytes(TestPaths.CocoImage(BusPhoto));

    public StreamRealStackTests(Host host, ITestOutputHelper output)
    {
        _host = host.Value;
        _output = output;
    }

    public sealed class Host : IDisposable
    {
        public StreamTestHost Value { get; } = new(kestrel: true, scripted: false, settings: new()
        {
            ["Inference:MaxConcurrentFrames"] = "2",
            ["Inference:MaxThreadsPerRun"] = "2",
        });

        public void Dispose() => Value.Dispose();
    }

    [Fact]
    public async Task Send_CocoPhotos_YoloDetectionsPerFrameInOrder()
    {
        using var client = await _host.ConnectAsync("yolo");

        for (var i = 0; i < 5; i++)
        {
            var answer = await client.SendFrameAndReceiveAsync(_bus);

            Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
            Assert.Equal(i, answer.GetProperty("frame_index").GetInt64());
            Assert.Contains(answer.GetProperty("result").GetProperty("detections").EnumerateArray(), d => d.GetProperty("label").GetString() == "bus");
            var timings = answer.GetProperty("timings");
            Assert.True(timings.GetProperty("decode_ms").GetDouble() > 0);
            Assert.True(timings.GetProperty("inference_ms").GetDouble() > 0);
        }

        await client.CloseAndDrainAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Send_LoneSessionOneFrameInFlight_EveryYoloRunUsesBothCores()
    {
        var scheduler = _host.Services.GetRequiredService<InferenceScheduler>();
        Assert.Equal(0, await _host.WaitForNoSessionsAsync());
        var before = (scheduler.RunsWithThreads(1), scheduler.RunsWithThreads(2));
        using var client = await _host.ConnectAsync("yolo");

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await client.SendFrameAndReceiveAsync(_bus)).TryGetProperty("result", out _));
        }

        await client.CloseAndDrainAsync();
        Assert.Equal((before.Item1, before.Item2 + 3), (scheduler.RunsWithThreads(1), scheduler.RunsWithThreads(2)));
        Assert.Equal(2, scheduler.Load.PeakBusyThreads);
    }

    [Fact]
    public async Task Abort_200ConnectionsMidInference_NoSessionLeft()
    {
        await _host.AbortMidInferenceAsync("yolo", _bus, connections: 200);

        Assert.Equal(0, await _host.WaitForNoSessionsAsync());
    }

    [Fact]
    public async Task Fuzz_2000MalformedFrames_EachInvalidFrame_NeighbourKeepsGettingResults()
    {
        var frames = 2000 * Fuzzing.Scale;
        const int concurrent = 16;
        var decoder = _host.Services.GetRequiredService<IJpegDecoder>();
        var kinds = Enum.GetValues<MalformedFrames.Kind>();
        var photos = Directory.GetFiles(TestPaths.CocoDirectory, "*.jpg").Take(8).Select(File.ReadAllBytes).ToArray();
        var random = new Random(20251121);
        var malformed = new List<byte[]>(frames);
        var decodes = new List<(double Ms, MalformedFrames.Kind Kind)>();
        while (malformed.Count < frames)
        {
            var kind = kinds[malformed.Count % kinds.Length];
            var frame = MalformedFrames.Make(kind, photos[random.Next(photos.Length)], random);

            // A mutation that still decodes is not malformed (bit flips can leave a valid JPEG): make another.
            // The decode is what a malformed frame costs inside an inference slot: the slowest are reported.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (IsMalformed(frame, decoder))
            {
                malformed.Add(frame);
                decodes.Add((System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, kind));
            }
        }

        ReportSlowest(malformed, decodes, decoder, photos[0]);
        using var neighbour = await _host.ConnectAsync("yolo");
        using var stop = new CancellationTokenSource();
        var neighbourResults = 0;
        var neighbourTask = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested || i < 3; i++)
            {
                var answer = await neighbour.SendFrameAndReceiveAsync(_bus);
                Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
                Assert.Equal(i, answer.GetProperty("frame_index").GetInt64());
                Assert.Contains(answer.GetProperty("result").GetProperty("detections").EnumerateArray(), d => d.GetProperty("label").GetString() == "bus");
                neighbourResults++;
            }
        });

        var next = -1;
        var answers = new string[frames];
        // Each worker is its own client address: its connections follow each other, within the per-client limit.
        var workers = Enumerable.Range(0, concurrent).Select(w => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < frames; i = Interlocked.Increment(ref next))
            {
                using var client = await _host.ConnectAsync("yolo", from: LoopbackClient.Address(w));
                await client.SendFrameAsync(malformed[i]);
                var (code, _, status) = await client.ReceiveErrorAndCloseAsync();
                answers[i] = $"{code} {(int?)status}";
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await neighbourTask;
        await neighbour.CloseAndDrainAsync();

        Assert.All(answers, answer => Assert.Equal("invalid_frame 1003", answer));
        Assert.True(neighbourResults >= 3);
        Assert.Equal(0, await _host.WaitForNoSessionsAsync());
    }

    /// <summary>
    /// The malformed frames that took longest to refuse, against a valid photo: the 20 slowest are timed again five
    /// times each and the fastest of those counts, so a thread the (shared) machine preempted does not look slow.
    /// </summary>
    private void ReportSlowest(List<byte[]> frames, List<(double Ms, MalformedFrames.Kind Kind)> decodes, IJpegDecoder decoder, byte[] photo)
    {
        _output.WriteLine($"valid photo ({photo.Length} bytes): {BestOfFive(() => decoder.Decode(photo).Dispose()):F2} ms to decode");
        var slowest = decodes.Select((d, i) => (d.Ms, d.Kind, Frame: frames[i]))
            .OrderByDescending(d => d.Ms).Take(20)
            .Select(d => (Ms: BestOfFive(() => IsMalformed(d.Frame, decoder)), d.Kind, Bytes: d.Frame.Length))
            .OrderByDescending(d => d.Ms);
        foreach (var (ms, kind, bytes) in slowest.Take(10))
        {
            _output.WriteLine($"malformed {kind} ({bytes} bytes): {ms:F2} ms to refuse");
        }

        static double BestOfFive(Action decode) => Enumerable.Range(0, 5).Min(_ =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            decode();
            return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
    }

    private static bool IsMalformed(byte[] frame, IJpegDecoder decoder)
    {
        if (FrameValidator.Check(frame, StreamTestHost.MaxFrameSizeMb * 1024 * 1024) != FrameCheck.Valid)
        {
            return true;
        }

        try
        {
            decoder.Decode(frame).Dispose();
            return false;
        }
        catch (ImageDecodeException)
        {
            return true;
        }
    }
}
