using System.Net.WebSockets;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// What a client can send that ends its session on a <see cref="StreamTestHost"/>, and the error code and close status
/// each gets. One table, played over the in-memory socket (StreamEndpointTests) and over real Kestrel TCP
/// (StreamKestrelTests), where close frames travel as they do in production.
/// </summary>
public static class FatalInputs
{
    public const int MaxFrameBytes = StreamTestHost.MaxFrameSizeMb * 1024 * 1024;

    /// <summary>What is sent, to which pipeline, and the error and close code it gets.</summary>
    public static TheoryData<string, string, string, WebSocketCloseStatus> Cases => new()
    {
        { "nothing", "no_such_pipeline", "invalid_pipeline", WebSocketCloseStatus.PolicyViolation },
        { "a text message", "test", "invalid_message", WebSocketCloseStatus.InvalidMessageType },
        { "a PNG", "test", "invalid_frame", WebSocketCloseStatus.InvalidMessageType },
        { "no end-of-image marker", "test", "invalid_frame", WebSocketCloseStatus.InvalidMessageType },
        { "corrupt", "test", "invalid_frame", WebSocketCloseStatus.InvalidMessageType },
        { "over the size limit", "test", "frame_too_large", WebSocketCloseStatus.MessageTooBig },
        { "a JPEG", "failing", "pipeline_failure", WebSocketCloseStatus.InternalServerError },
        { "a decoder bug", "test", "internal_error", WebSocketCloseStatus.InternalServerError },
    };

    /// <summary>Connects to <paramref name="pipeline"/>, sends <paramref name="input"/> and checks the error and the close that follow.</summary>
    public static async Task AssertEndsTheSessionAsync(
        StreamTestHost host, string input, string pipeline, string code, WebSocketCloseStatus status)
    {
        using var client = await host.ConnectAsync(pipeline);

        switch (input)
        {
            case "nothing":
                break;
            case "a text message":
                await client.SendTextAsync("{\"hello\":1}");
                break;
            default:
                await client.SendFrameAsync(Frame(input));
                break;
        }

        var (sentCode, _, closeStatus) = await client.ReceiveErrorAndCloseAsync();
        Assert.Equal((code, status), (sentCode, closeStatus));
    }

    /// <summary>A minimal JPEG's start (SOI and a valid third byte) and end (EOI), zeros between, <paramref name="size"/> bytes in all.</summary>
    public static byte[] JpegOfSize(int size)
    {
        var frame = new byte[size];
        StreamTestHost.MinimalJpeg().AsSpan(0, 3).CopyTo(frame);
        frame[^2] = 0xFF;
        frame[^1] = 0xD9;
        return frame;
    }

    private static byte[] Frame(string name) => name switch
    {
        "a PNG" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A],
        "no end-of-image marker" => [0xFF, 0xD8, 0xFF, 0xE0],
        "corrupt" => StreamTestHost.MinimalJpeg(third: 0x00), // markers fine, the decoder says corrupt
        "over the size limit" => JpegOfSize(MaxFrameBytes + 1),
        "a decoder bug" => StreamTestHost.MinimalJpeg(third: 0x01),
        "a JPEG" => StreamTestHost.MinimalJpeg(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such input in the table."),
    };
}
