using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.LoadTest;

/// <summary>One client session: sends frames, records every answer by frame_index with its latency.</summary>
internal sealed class SessionRecorder
{
    private readonly Dictionary<long, long> _sentAt = [];
    private readonly object _gate = new();

    public List<(long SentAt, double LatencyMs)> Results { get; } = [];

    public List<(double TotalMs, double DecodeMs, double InferenceMs)> ServerTimings { get; } = [];

    public int Sent { get; private set; }

    public int Dropped { get; private set; }

    public int SlowDowns { get; private set; }

    public int Duplicates { get; private set; }

    public List<string> Errors { get; } = [];

    public int Answered => Results.Count + Dropped;

    public void OnSent(long index, long timestamp)
    {
        lock (_gate)
        {
            _sentAt[index] = timestamp;
            Sent++;
        }
    }

    public void OnMessage(JsonElement message, long now)
    {
        lock (_gate)
        {
            if (message.TryGetProperty("warning", out _))
            {
                SlowDowns++;
                return;
            }

            if (message.TryGetProperty("error", out var error))
            {
                Errors.Add(error.GetString() + ": " + message.GetProperty("detail").GetString());
                return;
            }

            var index = message.GetProperty("frame_index").GetInt64();
            if (!_sentAt.Remove(index, out var sentAt))
            {
                Duplicates++;
                return;
            }

            if (message.TryGetProperty("dropped", out _))
            {
                Dropped++;
                return;
            }

            Results.Add((sentAt, Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds));
            var timings = message.GetProperty("timings");
            ServerTimings.Add((timings.GetProperty("total_ms").GetDouble(), timings.GetProperty("decode_ms").GetDouble(), timings.GetProperty("inference_ms").GetDouble()));
        }
    }

    public async Task ReceiveAllAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage);

            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            OnMessage(document.RootElement, Stopwatch.GetTimestamp());
        }
    }
}

internal sealed record SaturatedResult(double Fps, double P50Ms, double P99Ms, double MeanRoundTripMs, double ServerTotalMs, double DecodeMs, double InferenceMs)
{
    /// <summary>Server time per frame that is neither decode nor the pipeline: receive, validation, scheduling, serialization.</summary>
    public double OverheadShare => (ServerTotalMs - DecodeMs - InferenceMs) / ServerTotalMs;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"saturated single session (one frame in flight): {Fps:F1} FPS, latency p50 {P50Ms:F1} ms p99 {P99Ms:F1} ms; " +
        $"server per frame {ServerTotalMs:F2} ms = decode {DecodeMs:F2} + pipeline {InferenceMs:F2} + other {ServerTotalMs - DecodeMs - InferenceMs:F3} ms " +
        $"(server overhead {OverheadShare:P2} excluding decode, {(ServerTotalMs - InferenceMs) / ServerTotalMs:P2} including decode); " +
        $"client round trip mean {MeanRoundTripMs:F2} ms, of which not the pipeline {(MeanRoundTripMs - InferenceMs) / MeanRoundTripMs:P2} (decode, socket, JSON, loopback, client)");
}

internal sealed record PacedResult(LoadOptions Options, SessionRecorder[] Sessions, double Seconds)
{
    public int Violations { get; private set; }

    public string Describe(SaturatedResult saturated, double? memoryBefore, double? memoryAfter)
    {
        var processedFps = Sessions.Select(s => s.Results.Count / Seconds).ToArray();
        var aggregate = processedFps.Sum();
        var offered = Options.Sessions * Options.Fps;
        var sent = Sessions.Sum(s => s.Sent);
        var answered = Sessions.Sum(s => s.Answered);
        var duplicates = Sessions.Sum(s => s.Duplicates);
        var errors = Sessions.SelectMany(s => s.Errors).ToArray();
        var all = Sessions.SelectMany(s => s.Results).OrderBy(r => r.SentAt).ToArray();
        var half = all.Length / 2;
        var first = Percentiles(all.Take(half).Select(r => r.LatencyMs));
        var second = Percentiles(all.Skip(half).Select(r => r.LatencyMs));
        var efficiency = aggregate / Math.Min(saturated.Fps, offered);
        var fairness = processedFps.Min() / processedFps.Max();
        var growth = memoryBefore is > 0 && memoryAfter is not null ? (memoryAfter.Value - memoryBefore.Value) / memoryBefore.Value : double.NaN;

        Violations = (answered == sent ? 0 : 1) + (duplicates == 0 ? 0 : 1) + (errors.Length == 0 ? 0 : 1);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"run: {Options.Sessions} sessions × {Options.Fps} FPS × {Seconds:F0} s (offered {offered:F0} FPS)\n");
        text.Append(CultureInfo.InvariantCulture, $"  aggregate processed {aggregate:F1} FPS; efficiency {efficiency:F3} (aggregate ÷ min(saturated single, offered)); raw aggregate ÷ saturated single {aggregate / saturated.Fps:F3}\n");
        text.Append(CultureInfo.InvariantCulture, $"  fairness {fairness:F3} (min {processedFps.Min():F2} ÷ max {processedFps.Max():F2} FPS per session)\n");
        text.Append(CultureInfo.InvariantCulture, $"  frames sent {sent}, answered {answered} ({(double)answered / sent:P2}), processed {all.Length}, dropped {Sessions.Sum(s => s.Dropped)}, duplicates {duplicates}, slow_down {Sessions.Sum(s => s.SlowDowns)}, errors {errors.Length}\n");
        text.Append(CultureInfo.InvariantCulture, $"  latency first half p50 {first.P50:F1} ms p99 {first.P99:F1} ms; second half p50 {second.P50:F1} ms p99 {second.P99:F1} ms (ratio p99 {second.P99 / first.P99:F2})\n");
        text.Append(CultureInfo.InvariantCulture, $"  server memory before {memoryBefore / 1048576:F1} MiB, after {memoryAfter / 1048576:F1} MiB (growth {growth:P1})\n");
        foreach (var error in errors.Distinct())
        {
            text.Append("  error: ").Append(error).Append('\n');
        }

        return text.ToString();
    }

    internal static (double P50, double P99) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        return (sorted[(int)(0.50 * (sorted.Length - 1))], sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))]);
    }
}

internal static class LoadRun
{
    /// <summary>One session, next frame sent as soon as the previous answer arrives.</summary>
    public static async Task<SaturatedResult> SaturatedAsync(LoadOptions options, byte[] frame)
    {
        using var socket = await ConnectAsync(options);
        var recorder = new SessionRecorder();
        var buffer = new byte[256 * 1024];
        var end = Stopwatch.GetTimestamp() + (long)(options.SaturateSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        long index = 0;
        while (Stopwatch.GetTimestamp() < end)
        {
            recorder.OnSent(index++, Stopwatch.GetTimestamp());
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            recorder.OnMessage(document.RootElement, Stopwatch.GetTimestamp());
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        // The first frames warm up the process; measure the rest.
        var skip = Math.Min(10, recorder.Results.Count / 10);
        var latencies = PacedResult.Percentiles(recorder.Results.Skip(skip).Select(r => r.LatencyMs));
        var server = recorder.ServerTimings.Skip(skip).ToArray();
        return new SaturatedResult(
            recorder.Results.Count / seconds, latencies.P50, latencies.P99, recorder.Results.Skip(skip).Average(r => r.LatencyMs),
            server.Average(t => t.TotalMs), server.Average(t => t.DecodeMs), server.Average(t => t.InferenceMs));
    }

    /// <summary>N sessions, each sending at F FPS on an absolute schedule (no drift) for T seconds.</summary>
    public static async Task<PacedResult> PacedAsync(LoadOptions options, byte[] frame)
    {
        var recorders = new SessionRecorder[options.Sessions];
        var sockets = new ClientWebSocket[options.Sessions];
        for (var i = 0; i < options.Sessions; i++)
        {
            recorders[i] = new SessionRecorder();
            sockets[i] = await ConnectAsync(options, i);
        }

        var interval = 1.0 / options.Fps;
        var start = Stopwatch.GetTimestamp();
        var sessions = new Task[options.Sessions];
        for (var s = 0; s < options.Sessions; s++)
        {
            var socket = sockets[s];
            var recorder = recorders[s];

            // Sessions start spread over one interval, as independent cameras would.
            var offset = interval * s / options.Sessions;
            sessions[s] = Task.Run(async () =>
            {
                var receive = recorder.ReceiveAllAsync(socket, CancellationToken.None);
                var frames = (long)(options.Seconds * options.Fps);
                for (long i = 0; i < frames; i++)
                {
                    var due = start + (long)((offset + (i * interval)) * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    recorder.OnSent(i, Stopwatch.GetTimestamp());
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
                }

                // The server answers what is in flight, then closes.
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                await receive;
            });
        }

        await Task.WhenAll(sessions);
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return new PacedResult(options, recorders, options.Seconds);
    }

    private static async Task<ClientWebSocket> ConnectAsync(LoadOptions options, int session = 0)
    {
        // Against a loopback server each session comes from its own loopback address, as separate users would: the
        // per-client connection limit (Stream:MaxConnectionsPerClient) is not what this tool measures.
        if (IPAddress.TryParse(options.Url.Host, out var host) && IPAddress.IsLoopback(host))
        {
            var (connected, status) = await LoopbackClient.ConnectWebSocketAsync(options.StreamUrl, new IPAddress([127, 2, (byte)(session >> 8), (byte)session]));
            return connected ?? throw new InvalidOperationException($"The handshake was refused with {(int)status}.");
        }

        var socket = new ClientWebSocket();
        await socket.ConnectAsync(options.StreamUrl, CancellationToken.None);
        return socket;
    }
}
