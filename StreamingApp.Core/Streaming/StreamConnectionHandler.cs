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
/// Runs accepted stream WebSockets (DESIGN §4). The ASP.NET endpoint does the handshake checks and hands
/// the socket over; everything after that (protocol, sessions, backpressure) lives here, free of ASP.NET.
/// </summary>
public sealed class StreamConnectionHandler
{
    /// <summary>How long to wait for the client's close frame after ours before dropping the connection.</summary>
    internal static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public StreamConnectionHandler(
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
        Registry = registry;
        Scheduler = scheduler;
        Decoder = decoder;
        Metrics = metrics;
        Options = options.Value;
        Limits = limits.Value;
        Stopping = lifetime.ApplicationStopping;
        Time = time;
        Logger = logger;
    }

    internal SessionRegistry Registry { get; }

    internal InferenceScheduler Scheduler { get; }

    internal IJpegDecoder Decoder { get; }

    internal StreamMetrics Metrics { get; }

    internal StreamOptions Options { get; }

    internal StreamLimitOptions Limits { get; }

    /// <summary>Cancelled when the process starts stopping: every live stream is then closed with 1001.</summary>
    internal CancellationToken Stopping { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>Streams until the client closes, an error ends the session, or the connection drops.</summary>
    public async Task RunAsync(WebSocket socket, IFramePipeline pipeline, string? remoteAddress, CancellationToken aborted)
    {
        using var session = Registry.Open(pipeline.Definition.Id, remoteAddress);
        Logger.SessionConnected(session.SessionId, session.PipelineId, remoteAddress);
        var connection = new StreamConnection(this, socket, pipeline, session, aborted);
        var reason = await connection.RunAsync().ConfigureAwait(false);
        Logger.SessionDisconnected(
            session.SessionId, reason, (long)session.Duration.TotalMilliseconds, session.PipelineId,
            session.FramesReceived, session.FramesProcessed, session.DroppedFrames);
    }

    /// <summary>Answers a connection that cannot become a session (unknown pipeline) with the error and its close code.</summary>
    public async Task RejectAsync(WebSocket socket, StreamError error, CancellationToken aborted)
    {
        Metrics.Error(error.Code);
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
