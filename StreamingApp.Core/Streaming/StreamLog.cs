namespace StreamingApp.Core.Streaming;

/// <summary>Stream log events (ids 3000–3099). Nothing here is logged per frame at Information or above.</summary>
internal static partial class StreamLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Stream session {SessionId} connected: pipeline {PipelineId}, remote {RemoteAddress}")]
    public static partial void SessionConnected(this ILogger logger, Guid sessionId, string pipelineId, string? remoteAddress);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Stream session {SessionId} disconnected ({CloseReason}) after {DurationMs} ms: pipeline {PipelineId}, frames received {FramesReceived}, processed {FramesProcessed}, dropped {FramesDropped}")]
    public static partial void SessionDisconnected(
        this ILogger logger, Guid sessionId, string closeReason, long durationMs, string pipelineId, long framesReceived, long framesProcessed, long framesDropped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Stream session {SessionId} backpressure {PreviousState} -> {State} (recent drop rate {DropRate:F2})")]
    public static partial void BackpressureChanged(this ILogger logger, Guid sessionId, string previousState, string state, double dropRate);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error,
        Message = "Stream session {SessionId}: pipeline {PipelineId} failed on frame {FrameIndex}")]
    public static partial void PipelineFailed(this ILogger logger, Exception exception, Guid sessionId, string pipelineId, long frameIndex);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning,
        Message = "Stream session {SessionId} opened with {ActiveSessions} live sessions, above the recommended maximum {MaxSessions} (STREAM_MAX_SESSIONS)")]
    public static partial void SessionsAboveRecommendedMaximum(this ILogger logger, Guid sessionId, int activeSessions, int maxSessions);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error,
        Message = "Stream session {SessionId}: internal error")]
    public static partial void InternalError(this ILogger logger, Exception exception, Guid sessionId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug,
        Message = "Stream session {SessionId}: frame {FrameIndex} refused with {ErrorCode}: {Detail}")]
    public static partial void FrameRefused(this ILogger logger, Guid sessionId, long frameIndex, string errorCode, string detail);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information,
        Message = "Stream handshakes burst over ({Handshakes} handshakes): memory given back, working set {WorkingSetBeforeBytes} -> {WorkingSetAfterBytes} bytes (malloc_trim {NativeHeapTrimmed}) in {DurationMs} ms")]
    public static partial void MemoryGivenBack(
        this ILogger logger, long handshakes, long workingSetBeforeBytes, long workingSetAfterBytes, bool nativeHeapTrimmed, long durationMs);
}
