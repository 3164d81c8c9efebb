using System.Net.WebSockets;

namespace StreamingApp.Core.Streaming;

/// <summary>A close the server starts without an error message: the status, the reason text, and how long to wait for the client's answer.</summary>
internal sealed record ServerClose(WebSocketCloseStatus Status, string Reason, TimeSpan HandshakeTimeout)
{
    /// <summary>No frame for <see cref="StreamLimitOptions.IdleTimeoutSeconds"/>: 1001 <c>idle_timeout</c>.</summary>
    public static readonly ServerClose Idle = new(WebSocketCloseStatus.EndpointUnavailable, "idle_timeout", StreamConnectionHandler.CloseHandshakeTimeout);

    /// <summary>
    /// The process is stopping: 1001 ("going away") <c>server_shutdown</c>; the client's answer is awaited briefly, as
    /// the whole stop must fit in the host's shutdown timeout.
    /// </summary>
    public static readonly ServerClose GoingAway = new(WebSocketCloseStatus.EndpointUnavailable, "server_shutdown", TimeSpan.FromSeconds(1));
}
