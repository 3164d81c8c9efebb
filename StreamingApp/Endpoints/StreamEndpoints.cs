using StreamingApp.Core.Pipelines;
using StreamingApp.Core.Streaming;

namespace StreamingApp.Endpoints;

public static class StreamEndpoints
{
    public const string Path = "/ws/video/stream";

    /// <summary>
    /// <c>/ws/video/stream?pipeline_id=&lt;id&gt;</c> (DESIGN §4). Needs <c>app.UseWebSockets()</c> first.
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
        HttpContext context, IPipelineCatalog catalog, StreamConnectionHandler handler, ILogger<StreamConnectionHandler> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint accepts WebSocket connections only.", context.RequestAborted);
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
}
