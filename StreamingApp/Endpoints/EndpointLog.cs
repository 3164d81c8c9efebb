namespace StreamingApp.Endpoints;

/// <summary>Host-side log events of the stream handshake (ids 3050–3059).</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning,
        Message = "Stream handshake refused: Origin {Origin} is not this site ({Host})")]
    public static partial void LogCrossSiteOriginRefused(this ILogger logger, string origin, string host);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Information,
        Message = "Stream refused: unknown pipeline '{PipelineId}', remote {RemoteAddress}")]
    public static partial void LogInvalidPipeline(this ILogger logger, string pipelineId, string? remoteAddress);
}
