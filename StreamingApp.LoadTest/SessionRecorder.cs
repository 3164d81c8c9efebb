using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace StreamingApp.LoadTest;

/// <summary>One client session: records every answer by frame_index with its latency (send → answer received).</summary>
internal sealed class SessionRecorder(Action? onFrameAnswered = null)
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
            if (!Record(message, now))
            {
                return;
            }
        }

        onFrameAnswered?.Invoke();
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

    /// <summary>Records one message; true when it answered a frame (a result or dropped).</summary>
    private bool Record(JsonElement message, long now)
    {
        if (message.TryGetProperty("warning", out _))
        {
            SlowDowns++;
            return false;
        }

        if (message.TryGetProperty("error", out var error))
        {
            Errors.Add(error.GetString() + ": " + message.GetProperty("detail").GetString());
            return false;
        }

        var index = message.GetProperty("frame_index").GetInt64();
        if (!_sentAt.Remove(index, out var sentAt))
        {
            Duplicates++;
            return false;
        }

        if (message.TryGetProperty("dropped", out _))
        {
            Dropped++;
            return true;
        }

        Results.Add((sentAt, Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds));
        var timings = message.GetProperty("timings");
        ServerTimings.Add((timings.GetProperty("total_ms").GetDouble(), timings.GetProperty("decode_ms").GetDouble(), timings.GetProperty("inference_ms").GetDouble()));
        return true;
    }
}
