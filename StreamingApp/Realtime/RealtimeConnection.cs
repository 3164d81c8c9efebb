using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Web;

namespace StreamingApp.Realtime;

/// <summary>
/// One page's UI connection (/ui/realtime), the counterpart of a Blazor circuit: small JSON events in from the
/// JS module (button presses, stream answers), re-rendered regions and stream commands out. Frames never
/// come here; they go from the browser straight to /ws/video/stream.
/// </summary>
public sealed partial class RealtimeConnection(
    RealtimeClient client,
    RealtimeSocketBridge bridge,
    HtmlRenderer renderer,
    ILogger<RealtimeConnection> logger)
{
    private const int MaxMessageBytes = 64 * 1024;

    private RealtimeRegions? _regions;

    public async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        bridge.Attach(socket);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "too large", cancellationToken);
                        return;
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(length, MaxMessageBytes - length), cancellationToken);
                    length += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return;
                }

                if (await HandleAsync(buffer.AsMemory(0, length), cancellationToken))
                {
                    await SendRegionsAsync(cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogConnectionEnded(logger, ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Applies one browser event; false when it was not understood (nothing to re-render).</summary>
    internal async Task<bool> HandleAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            LogBadEvent(logger);
            return false;
        }

        using (document)
        {
            var e = document.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (e.TryGetProperty("stream", out var stream))
            {
                switch (stream.GetString())
                {
                    case "open":
                        client.OnStreamOpened();
                        return true;
                    case "close":
                        client.OnStreamClosed((int)Int(e, "code"));
                        return true;
                    case "message" when e.TryGetProperty("data", out var data):
                        double? latency = e.TryGetProperty("latency_ms", out var l) && l.ValueKind == JsonValueKind.Number
                            ? l.GetDouble()
                            : null;
                        client.OnStreamMessage(data, latency, Int(e, "frames_sent"), (int)Int(e, "throttle_fps"));
                        return true;
                    default:
                        return false;
                }
            }

            if (e.TryGetProperty("camera", out var camera))
            {
                if (camera.ValueEquals("started"))
                {
                    client.OnCameraStarted(e.TryGetProperty("aspect", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0);
                }
                else
                {
                    client.OnCameraError(camera.GetString() ?? "unknown");
                }

                return true;
            }

            var pipelineId = e.TryGetProperty("pipeline_id", out var p) ? p.GetString() : null;
            switch (e.TryGetProperty("action", out var action) ? action.GetString() : null)
            {
                case "start" when !string.IsNullOrWhiteSpace(pipelineId):
                    await client.ConnectAsync(pipelineId, cancellationToken);
                    return true;
                case "stop":
                    await client.DisconnectAsync(cancellationToken);
                    return true;
                case "select" when !string.IsNullOrWhiteSpace(pipelineId):
                    await client.SelectPipelineAsync(pipelineId, cancellationToken);
                    return true;
                case "retry":
                    await client.RetryAsync(cancellationToken);
                    return true;
                case "debug":
                    client.ToggleDebug();
                    return true;
                default:
                    LogBadEvent(logger);
                    return false;
            }
        }
    }

    private async Task SendRegionsAsync(CancellationToken cancellationToken)
    {
        var context = client.Context;
        _regions ??= await RealtimeRegions.CreateAsync(renderer, context);
        var html = await _regions.RenderChangedAsync();

        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new RenderMessage(html, context.DebugVisible, context.Status.ToString().ToLowerInvariant(), context.LastResultFrameIndex),
            RealtimeJson.Default.RenderMessage);
        await bridge.SendAsync(payload, cancellationToken);
    }

    private static long Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "UI connection ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "UI connection sent an event it should not send")]
    private static partial void LogBadEvent(ILogger logger);
}
