namespace StreamingApp.Endpoints;

/// <summary>Host-side log events of the stream handshake (ids 3051–3059, 6020–6029).</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 3051, Level = LogLevel.Information,
        Message = "Stream refused: unknown pipeline '{PipelineId}', remote {RemoteAddress}")]
    public static partial void LogInvalidPipeline(this ILogger logger, string pipelineId, string? remoteAddress);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Debug,
        Message = "Stream handshake refused with 503 {Reason}, remote {RemoteAddress}")]
    public static partial void LogStreamRefused(this ILogger logger, string reason, string? remoteAddress);
}
