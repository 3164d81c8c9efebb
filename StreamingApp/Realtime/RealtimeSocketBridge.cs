using System.Net.WebSockets;
using System.Text.Json;

namespace StreamingApp.Realtime;

/// <summary>The page's UI socket: stream commands for the JS module and rendered regions, one message at a time.</summary>
public sealed class RealtimeSocketBridge : IRealtimeBridge
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private WebSocket? _socket;

    public void Attach(WebSocket socket) => _socket = socket;

    public Task ConnectStreamAsync(string pipelineId, CancellationToken cancellationToken) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new StreamCommand("connect", pipelineId), RealtimeJson.Default.StreamCommand), cancellationToken);

    public Task DisconnectStreamAsync(CancellationToken cancellationToken) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new StreamCommand("disconnect", null), RealtimeJson.Default.StreamCommand), cancellationToken);

    public async Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (_socket is not { State: WebSocketState.Open } socket)
        {
            return;
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
