namespace StreamingApp.Endpoints;

/// <summary>Host-side log events of the stream handshake (ids 3051–3059).</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 3051, Level = LogLevel.Information,
        Message = "Stream refused: unknown pipeline '{PipelineId}', remote {RemoteAddress}")]
    public static partial void LogInvalidPipeline(this ILogger logger, string pipelineId, string? remoteAddress);
}
