using System.Net.WebSockets;
using System.Text;

namespace StreamingApp.Tests.Streaming;

/// <summary>A test client for /ws/video/stream over any WebSocket (TestServer's or a real ClientWebSocket).</summary>
public sealed class StreamClient(WebSocket socket) : IDisposable
{
    // A guard against a hung test, not a timing assertion.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public WebSocket Socket { get; } = socket;

    public WebSocketCloseStatus? CloseStatus => Socket.CloseStatus;

    public async Task SendFrameAsync(byte[] frame)
    {
        using var cts = new CancellationTokenSource(Guard);
        await Socket.SendAsync(frame, WebSocketMessageType.Binary, true, cts.Token);
    }

    public async Task SendTextAsync(string text)
    {
        using var cts = new CancellationTokenSource(Guard);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next JSON message, or null when the server closed instead.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Guard);
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                }

                return null;
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);

        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    /// <summary>Sends <paramref name="frame"/> and returns the next message, its answer (fails if the server closes instead).</summary>
    public async Task<JsonElement> SendFrameAndReceiveAsync(byte[] frame)
    {
        await SendFrameAsync(frame);
        var answer = await ReceiveAsync();
        Assert.True(answer.HasValue, $"The server closed instead of answering ({CloseStatus}).");
        return answer.Value;
    }

    /// <summary>Receives <paramref name="count"/> messages (fails if the server closes first).</summary>
    public async Task<List<JsonElement>> ReceiveManyAsync(int count)
    {
        var messages = new List<JsonElement>(count);
        for (var i = 0; i < count; i++)
        {
            var message = await ReceiveAsync();
            Assert.True(message.HasValue, $"The server closed after {i} of {count} messages ({CloseStatus}).");
            messages.Add(message.Value);
        }

        return messages;
    }

    /// <summary>The error message and the close status that must follow it.</summary>
    public async Task<(string Code, string Detail, WebSocketCloseStatus? Status)> ReceiveErrorAndCloseAsync()
    {
        var message = await ReceiveAsync();
        Assert.True(message.HasValue, $"Expected an error message, got a close ({CloseStatus}).");
        var error = message.Value;
        Assert.True(error.TryGetProperty("error", out var code), "Expected an error message: " + error);
        var next = await ReceiveAsync();
        Assert.Null(next);
        return (code.GetString()!, error.GetProperty("detail").GetString()!, CloseStatus);
    }

    /// <summary>Closes normally and reads every answer still on the way until the server's close.</summary>
    public async Task<List<JsonElement>> CloseAndDrainAsync()
    {
        using var cts = new CancellationTokenSource(Guard);
        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        var rest = new List<JsonElement>();
        while (await ReceiveAsync() is { } message)
        {
            rest.Add(message);
        }

        return rest;
    }

    public void Dispose() => Socket.Dispose();
}
