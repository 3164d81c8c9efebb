using System.Net.WebSockets;

namespace StreamingApp.Core.Streaming;

/// <summary>The stream's error codes (docs/ENDPOINTS.md) and the WebSocket close status each one ends the connection with.</summary>
public static class StreamErrors
{
    public const string InvalidPipeline = "invalid_pipeline";
    public const string InvalidFrame = "invalid_frame";
    public const string FrameTooLarge = "frame_too_large";
    public const string InvalidMessage = "invalid_message";
    public const string PipelineFailure = "pipeline_failure";
    public const string InternalError = "internal_error";

    public static WebSocketCloseStatus CloseStatusFor(string code) => code switch
    {
        InvalidPipeline => WebSocketCloseStatus.PolicyViolation,           // 1008
        InvalidFrame or InvalidMessage => WebSocketCloseStatus.InvalidMessageType, // 1003
        FrameTooLarge => WebSocketCloseStatus.MessageTooBig,               // 1009
        PipelineFailure or InternalError => WebSocketCloseStatus.InternalServerError, // 1011
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown stream error code."),
    };
}

/// <summary>An error answer: the code, a human-readable detail, and the close status that follows it.</summary>
public sealed record StreamError(string Code, string Detail)
{
    public WebSocketCloseStatus CloseStatus => StreamErrors.CloseStatusFor(Code);
}
