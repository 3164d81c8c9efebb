namespace StreamingApp.Realtime;

/// <summary>Tells the page's JS module to open or close its socket to /ws/video/stream.</summary>
public interface IRealtimeBridge
{
    Task ConnectStreamAsync(string pipelineId, CancellationToken cancellationToken);

    Task DisconnectStreamAsync(CancellationToken cancellationToken);
}
