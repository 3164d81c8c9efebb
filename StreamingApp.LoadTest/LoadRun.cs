using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.LoadTest;

internal static class LoadRun
{
    /// <summary>
    /// One session keeping <paramref name="inFlight"/> frames awaiting an answer: a new frame as soon as fewer are
    /// (an answer is a result or dropped), for <see cref="LoadOptions.SaturateSeconds"/>.
    /// </summary>
    public static async Task<SaturatedResult> SaturatedAsync(LoadOptions options, byte[] frame, int inFlight)
    {
        using var socket = await ConnectAsync(options);
        using var room = new SemaphoreSlim(inFlight);
        var recorder = new SessionRecorder(() => room.Release());
        var before = await ServerMetrics.ScrapeAsync(options.MetricsUrl);
        var receive = recorder.ReceiveAllAsync(socket, CancellationToken.None);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(options.SaturateSeconds * Stopwatch.Frequency);
        for (long index = 0; Stopwatch.GetTimestamp() < end; index++)
        {
            await room.WaitAsync();
            recorder.OnSent(index, Stopwatch.GetTimestamp());
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        // The server answers what is in flight, then closes.
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await receive;
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var after = await ServerMetrics.ScrapeAsync(options.MetricsUrl);
        return new SaturatedResult(inFlight, recorder, seconds, new ServerLoad(before, after));
    }

    /// <summary>N sessions, each sending at F FPS on an absolute schedule (no drift) for <paramref name="seconds"/>.</summary>
    public static async Task<PacedResult> PacedAsync(LoadOptions options, byte[] frame, double seconds)
    {
        var recorders = new SessionRecorder[options.Sessions];
        var sockets = new ClientWebSocket[options.Sessions];
        for (var i = 0; i < options.Sessions; i++)
        {
            recorders[i] = new SessionRecorder();
            sockets[i] = await ConnectAsync(options, i);
        }

        var before = await ServerMetrics.ScrapeAsync(options.MetricsUrl);
        var start = Stopwatch.GetTimestamp();
        var sessions = new Task[options.Sessions];
        for (var s = 0; s < options.Sessions; s++)
        {
            // Sessions start spread over one interval, as independent cameras would.
            var offset = s / (options.Fps * options.Sessions);
            var (socket, recorder) = (sockets[s], recorders[s]);
            sessions[s] = Task.Run(() => PaceAsync(socket, recorder, frame, start, offset, options.Fps, (long)(seconds * options.Fps)));
        }

        await Task.WhenAll(sessions);
        var after = await ServerMetrics.ScrapeAsync(options.MetricsUrl);
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return new PacedResult(options, recorders, seconds, new ServerLoad(before, after));
    }

    private static async Task PaceAsync(ClientWebSocket socket, SessionRecorder recorder, byte[] frame, long start, double offset, double fps, long frames)
    {
        var receive = recorder.ReceiveAllAsync(socket, CancellationToken.None);
        for (long i = 0; i < frames; i++)
        {
            var due = start + (long)((offset + (i / fps)) * Stopwatch.Frequency);
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
