using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Streaming;

namespace StreamingApp.Endpoints;

public static class StreamEndpoints
{
    public const string Path = "/ws/video/stream";

    /// <summary>
    /// <c>/ws/video/stream?pipeline_id=&lt;id&gt;</c>. Needs <c>app.UseWebSockets()</c> first.
    /// Off when <c>Streaming:Enabled</c> is false: the path then answers 404 and nothing else changes. A cross-site
    /// handshake never gets here (<see cref="OriginPolicy"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (configuration.GetValue("Streaming:Enabled", true))
        {
            endpoints.Map(Path, HandleAsync);
        }

        return endpoints;
    }

    private static async Task HandleAsync(
        HttpContext context, IPipelineCatalog catalog, StreamConnectionHandler handler, StreamConnectionLimiter limiter, ILogger<StreamConnectionHandler> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint accepts WebSocket connections only.", context.RequestAborted);
            return;
        }

        // Before anything is allocated for it: a refused handshake costs a lock and a few bytes, and never waits.
        using var lease = limiter.TryAdmit(context.Connection.RemoteIpAddress, out var refusal);
        if (lease is null)
        {
            await RefuseAsync(context, refusal, limiter.Limits, logger);
            return;
        }

        var pipelineId = context.Request.Query["pipeline_id"].ToString();
        var remoteAddress = context.Connection.RemoteIpAddress?.ToString();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (pipelineId.Length == 0 || !catalog.TryGet(pipelineId, out var pipeline))
        {
            logger.LogInvalidPipeline(pipelineId, remoteAddress);
            var detail = pipelineId.Length == 0
                ? "The pipeline_id query parameter is required."
                : $"Unknown pipeline '{pipelineId}'.";
            await handler.RejectAsync(socket, new StreamError(StreamErrors.InvalidPipeline, detail), context.RequestAborted);
            return;
        }

        await handler.RunAsync(socket, pipeline, remoteAddress, context.RequestAborted);
    }

    private static Task RefuseAsync(HttpContext context, StreamRefusal refusal, StreamLimitOptions limits, ILogger logger)
    {
        logger.LogStreamRefused(refusal.ToWire(), context.Connection.RemoteIpAddress?.ToString());
        var detail = refusal switch
        {
            StreamRefusal.TooManyConnections => $"The server is at its limit of {limits.MaxConnections} live streams; try again later.",
            StreamRefusal.TooManyConnectionsFromClient => $"This address already has {limits.MaxConnectionsPerClient} live streams, the most allowed.",
            _ => "The server is restarting; connect again in a moment.",
        };
        context.Response.Headers.RetryAfter = "5";
        return ApiError.Result(StatusCodes.Status503ServiceUnavailable, refusal.ToWire(), detail).ExecuteAsync(context);
    }
}
