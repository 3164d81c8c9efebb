using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Streaming;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// The real stack on real Kestrel: TurboJPEG, the <c>yolo</c> pipeline with YOLOX-nano, COCO photos; two inference
/// cores whatever the machine.
/// </summary>
public sealed class StreamRealStackTests : IClassFixture<StreamRealStackTests.Host>
{
    private const string BusPhoto = "000000001584.jpg";

    private readonly StreamTestHost _host;
    private readonly byte[] _bus = File.ReadAllBytes(TestPaths.CocoImage(BusPhoto));

    public StreamRealStackTests(Host host)
    {
        _host = host.Value;
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
            await client.SendFrameAsync(_bus);
            var answer = (await client.ReceiveAsync())!.Value;

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
            await client.SendFrameAsync(_bus);
            Assert.True((await client.ReceiveAsync())!.Value.TryGetProperty("result", out _));
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
        const int frames = 2000;
        const int concurrent = 16;
        var decoder = _host.Services.GetRequiredService<IJpegDecoder>();
        var kinds = Enum.GetValues<MalformedFrames.Kind>();
        var photos = Directory.GetFiles(TestPaths.CocoDirectory, "*.jpg").Take(8).Select(File.ReadAllBytes).ToArray();
        var random = new Random(20251121);
        var malformed = new List<byte[]>(frames);
        while (malformed.Count < frames)
        {
            var frame = MalformedFrames.Make(kinds[malformed.Count % kinds.Length], photos[random.Next(photos.Length)], random);

            // A mutation that still decodes is not malformed (bit flips can leave a valid JPEG): make another.
            if (IsMalformed(frame, decoder))
            {
                malformed.Add(frame);
            }
        }

        using var neighbour = await _host.ConnectAsync("yolo");
        using var stop = new CancellationTokenSource();
        var neighbourResults = 0;
        var neighbourTask = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested || i < 3; i++)
            {
                await neighbour.SendFrameAsync(_bus);
                var answer = (await neighbour.ReceiveAsync())!.Value;
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
