using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// Runs accepted stream WebSockets. The ASP.NET endpoint does the handshake checks and hands the socket over;
/// everything after that (protocol, sessions, backpressure) lives here, free of ASP.NET: each connection gets its
/// session from the registry and its <see cref="StreamConnection"/>, given exactly what it uses.
/// </summary>
public sealed class StreamConnectionHandler(
    SessionRegistry registry,
    InferenceScheduler scheduler,
    IJpegDecoder decoder,
    StreamMetrics metrics,
    IOptions<StreamOptions> options,
    IOptions<StreamLimitOptions> limits,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StreamConnectionHandler> logger)
{
    /// <summary>How long to wait for the client's close frame after ours before dropping the connection.</summary>
    internal static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Streams until the client closes, an error ends the session, or the connection drops.</summary>
    public async Task RunAsync(WebSocket socket, IFramePipeline pipeline, string? remoteAddress, CancellationToken aborted)
    {
        using var session = registry.Open(pipeline.Definition.Id, remoteAddress);
        logger.SessionConnected(session.SessionId, session.PipelineId, remoteAddress);
        var processor = new FrameProcessor(decoder, pipeline, session, metrics, time, logger);
        var connection = new StreamConnection(
            socket, session, processor, scheduler, metrics, options.Value, limits.Value, time, logger, lifetime.ApplicationStopping, aborted);
        var reason = await connection.RunAsync().ConfigureAwait(false);
        logger.SessionDisconnected(
            session.SessionId, reason, (long)session.Duration.TotalMilliseconds, session.PipelineId,
            session.FramesReceived, session.FramesProcessed, session.DroppedFrames);
    }

    /// <summary>Answers a connection that cannot become a session (unknown pipeline) with the error and its close code.</summary>
    public async Task RejectAsync(WebSocket socket, StreamError error, CancellationToken aborted)
    {
        metrics.Error(error.Code);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(CloseHandshakeTimeout);
        try
        {
            var json = System.Text.Encoding.UTF8.GetBytes(StreamProtocolText.Error(error));
            await socket.SendAsync(json, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            await socket.CloseAsync(error.CloseStatus, error.Code, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client left first; nothing more to tell it.
        }
    }
}
