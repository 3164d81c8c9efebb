using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.LoadTest;

/// <summary>
/// A connection storm against <c>/ws/video/stream</c> (docs/PERFORMANCE.md, "Connection storm"): N handshakes at once,
/// each from its own loopback address (127.1.x.y), held idle, then released; then 20 more from one address. Every
/// attempt must end (101 or 503) within the guard; a probe client's latency and the server's resident memory are read
/// before and after.
/// </summary>
internal static class Storm
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(LoadOptions options, byte[] frame, int attempts, double holdSeconds)
    {
        var probeBefore = await ProbeAsync(options, frame);
        var memoryBefore = (await ServerMetrics.ScrapeAsync(options.MetricsUrl))?.WorkingSetBytes;

        var storm = await AttemptAsync(options, attempts, i => Address(i));
        await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
        var memoryHeld = (await ServerMetrics.ScrapeAsync(options.MetricsUrl))?.WorkingSetBytes;
        storm.Release();

        var oneAddress = await AttemptAsync(options, 20, _ => Address(attempts + 1));
        oneAddress.Release();

        await Task.Delay(TimeSpan.FromSeconds(5)); // sessions end, the GC may run
        var probeAfter = await ProbeAsync(options, frame);
        var memoryAfter = (await ServerMetrics.ScrapeAsync(options.MetricsUrl))?.WorkingSetBytes;

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"storm: {attempts} handshakes at once from {attempts} addresses, held {holdSeconds:F0} s\n");
        text.Append(storm.Describe("  "));
        text.Append(CultureInfo.InvariantCulture, $"one address: 20 handshakes at once\n");
        text.Append(oneAddress.Describe("  "));
        text.Append(CultureInfo.InvariantCulture, $"probe (handshake + one frame answered) before: median {probeBefore:F1} ms; after: median {probeAfter:F1} ms (ratio {probeAfter / probeBefore:F2})\n");
        text.Append(CultureInfo.InvariantCulture,
            $"server memory before {memoryBefore / 1048576:F1} MiB, while held {memoryHeld / 1048576:F1} MiB, after {memoryAfter / 1048576:F1} MiB (after ÷ before {memoryAfter / memoryBefore:F3})\n");
        Console.Write(text);
        return storm.Hung + oneAddress.Hung == 0 && storm.Other + oneAddress.Other == 0 ? 0 : 1;
    }

    private static IPAddress Address(int i) => new([127, 1, (byte)(i >> 8), (byte)i]);

    private static async Task<Attempts> AttemptAsync(LoadOptions options, int count, Func<int, IPAddress> from)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var guard = new CancellationTokenSource(Guard);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(options.StreamUrl, from(i), cancellationToken: guard.Token);
                return new Attempt(socket, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, false);
            }
            catch (OperationCanceledException)
            {
                return new Attempt(null, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, true);
            }
        }));
        return new Attempts(results);
    }

    /// <summary>Median of 20 fresh connections: handshake, one frame, its answer, close.</summary>
    private static async Task<double> ProbeAsync(LoadOptions options, byte[] frame)
    {
        var times = new List<double>();
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(options.StreamUrl, CancellationToken.None);
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        return Stats.Percentiles(times).P50;
    }

    private sealed record Attempt(ClientWebSocket? Socket, HttpStatusCode Status, double Ms, bool TimedOut);

    private sealed class Attempts(Attempt[] all)
    {
        public int Hung => all.Count(a => a.TimedOut);

        public int Other => all.Count(a => !a.TimedOut && a.Status is not (HttpStatusCode.SwitchingProtocols or HttpStatusCode.ServiceUnavailable));

        public void Release()
        {
            foreach (var attempt in all)
            {
                attempt.Socket?.Abort();
                attempt.Socket?.Dispose();
            }
        }

        public string Describe(string indent)
        {
            var admitted = all.Where(a => a.Status == HttpStatusCode.SwitchingProtocols).ToArray();
            var refused = all.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToArray();
            var admittedMs = Stats.Percentiles(admitted.Select(a => a.Ms));
            var refusedMs = Stats.Percentiles(refused.Select(a => a.Ms));
            return string.Create(CultureInfo.InvariantCulture,
                $"{indent}admitted {admitted.Length} (handshake p50 {admittedMs.P50:F1} ms, p99 {admittedMs.P99:F1} ms), refused 503 {refused.Length} " +
                $"(p50 {refusedMs.P50:F1} ms, p99 {refusedMs.P99:F1} ms, slowest {(refused.Length > 0 ? refused.Max(a => a.Ms) : 0):F1} ms), other {Other}, hung {Hung}\n");
        }
    }
}
