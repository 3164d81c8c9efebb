using System.Net.WebSockets;

namespace StreamingApp.Core.Streaming;

internal enum OutgoingKind
{
    Result,
    Dropped,
    SlowDown,
    Error,

    /// <summary>Not a message: tells the send loop to close the socket normally.</summary>
    Close,
}

/// <summary>
/// One item for a session's single send loop. A struct: one is queued per frame, and the send loop
/// serializes it into its own reused buffer.
/// </summary>
internal readonly record struct OutgoingMessage(
    OutgoingKind Kind,
    long FrameIndex = 0,
    FrameResult? Result = null,
    FrameTimings Timings = default,
    StreamError? Error = null,
    WebSocketCloseStatus CloseStatus = WebSocketCloseStatus.NormalClosure);
