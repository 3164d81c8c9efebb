using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// The app behind the real stream endpoint, on TestServer or on real Kestrel (a free loopback port). Either the real
/// stack (TurboJPEG decoder, the repository's pipelines and models) or, when <c>scripted</c>, scripted pipelines
/// (<see cref="TestPipeline"/>) and a scripted decoder for deterministic protocol tests. Scripted pipelines: <c>test</c> (a person, at once), <c>gated</c> (signals
/// <see cref="Entered"/>, then waits for <see cref="Gate"/>), <c>slow</c> (<see cref="SlowPipelineMs"/>), <c>failing</c> (throws). The decoder fails frames
/// whose third byte is 0x00 (corrupt) or 0x01 (a bug). Scripted hosts have <see cref="Cores"/> inference cores, whatever the machine.
/// </summary>
public sealed class StreamTestHost : StreamingAppFactory
{
    public const int MaxFrameSizeMb = 1;

    /// <summary>Inference cores of a scripted host (<c>Inference:MaxConcurrentFrames</c>).</summary>
    public const int Cores = 2;

    /// <summary>How long the <c>slow</c> pipeline works on a frame (it sleeps).</summary>
    public const int SlowPipelineMs = 20;

    private readonly bool _kestrel;
    private readonly bool _scripted;

    public StreamTestHost(bool kestrel = false, bool scripted = true, Dictionary<string, string?>? settings = null)
        : base(WithTestFrameLimit(settings))
    {
        _kestrel = kestrel;
        _scripted = scripted;
        if (kestrel)
        {
            StartKestrel();
        }
    }

    public int Port => BaseAddress.Port;

    /// <summary>Released once per frame the <c>gated</c> pipeline may finish.</summary>
    public SemaphoreSlim Gate { get; } = new(0);

    /// <summary>Released once per frame that entered the <c>gated</c> pipeline (it then waits for <see cref="Gate"/>).</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    public SessionRegistry Registry => Services.GetRequiredService<SessionRegistry>();

    public StreamConnectionLimiter Limiter => Services.GetRequiredService<StreamConnectionLimiter>();

    public static byte[] MinimalJpeg(byte third = 0xFF) => [0xFF, 0xD8, third, 0xE0, 0x00, 0x10, 0xFF, 0xD9];

    /// <summary>A connected client; on Kestrel from <paramref name="from"/> (127.0.0.1 by default).</summary>
    public async Task<StreamClient> ConnectAsync(string? pipelineId, string? origin = null, int? receiveBufferBytes = null, IPAddress? from = null)
    {
        var query = pipelineId is null ? string.Empty : "?pipeline_id=" + Uri.EscapeDataString(pipelineId);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (_kestrel)
        {
            var headers = origin is null ? null : new Dictionary<string, string> { ["Origin"] = origin };
            var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(
                new Uri($"ws://127.0.0.1:{Port}{StreamEndpointsPath}{query}"), from ?? IPAddress.Loopback, headers, cts.Token, receiveBufferBytes);
            Assert.True(socket is not null, $"The handshake was refused with {(int)status}.");
            return new StreamClient(socket);
        }

        var client = Server.CreateWebSocketClient();
        if (origin is not null)
        {
            client.ConfigureRequest = request => request.Headers.Origin = origin;
        }

        return new StreamClient(await client.ConnectAsync(new Uri(Server.BaseAddress, StreamEndpointsPath + query), cts.Token));
    }

    /// <summary>
    /// Opens <paramref name="connections"/> sessions, 20 at a time, each sending <paramref name="frames"/> and then
    /// resetting the TCP connection while its first frame is in (or waiting for) inference. Each comes from its own
    /// loopback address, as many users would, so the per-client connection limit does not apply.
    /// </summary>
    public async Task AbortMidInferenceAsync(string pipelineId, byte[] frame, int connections, int frames = 1)
    {
        const int concurrent = 20;
        for (var batch = 0; batch < connections / concurrent; batch++)
        {
            var tasks = new Task[concurrent];
            for (var i = 0; i < concurrent; i++)
            {
                var from = LoopbackClient.Address((batch * concurrent) + i);
                tasks[i] = Task.Run(async () =>
                {
                    var client = await ConnectAsync(pipelineId, from: from);
                    for (var f = 0; f < frames; f++)
                    {
                        await client.SendFrameAsync(frame);
                    }

                    client.Socket.Abort();
                    client.Dispose();
                });
            }

            await Task.WhenAll(tasks);
        }
    }

    /// <summary>Waits (bounded) until every session has left the registry; returns the count left.</summary>
    public async Task<int> WaitForNoSessionsAsync()
    {
        for (var i = 0; i < 600 && Registry.ActiveCount > 0; i++)
        {
            await Task.Delay(50);
        }

        return Registry.ActiveCount;
    }

    private const string StreamEndpointsPath = "/ws/video/stream";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (!_scripted)
        {
            return;
        }

        builder.UseSetting("Inference:MaxConcurrentFrames", Cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(CreateCatalog());
            services.AddSingleton<IJpegDecoder, ScriptedJpegDecoder>();
        });
    }

    private IPipelineCatalog CreateCatalog()
    {
        var person = new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "person", 0.9f)], null);
        var stages = new StageTimings(0.5, 2, 0.25);
        return new TestPipelineCatalog(
            new TestPipeline("test", _ => person, stages),
            new TestPipeline("gated", _ =>
            {
                Entered.Release();
                Assert.True(Gate.Wait(TimeSpan.FromSeconds(60)), "gated pipeline never released");
                return person;
            }, stages),
            new TestPipeline("slow", _ =>
            {
                Thread.Sleep(SlowPipelineMs);
                return person;
            }, stages),
            new TestPipeline("failing", _ => throw new InvalidOperationException("model exploded")));
    }

    private static Dictionary<string, string?> WithTestFrameLimit(Dictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { ["STREAM_MAX_FRAME_SIZE_MB"] = MaxFrameSizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return all;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Gate.Release(1000); // a test that failed half-way must not leave a pipeline blocked
        }

        base.Dispose(disposing);
    }
}
