namespace StreamingApp.Components.Stream;

/// <summary>
/// The browser side of the live stream as the page's state drives it: the camera and the frame socket, each a JS
/// module (implemented by <see cref="CameraPreview"/>, which imports them).
/// </summary>
public interface IStreamDriver
{
    Task<CameraStart> StartCameraAsync(string? deviceId);

    Task StopCameraAsync();

    /// <summary>
    /// Opens the frame socket for the pipeline (closing any previous one) and starts capturing at the pace, each
    /// frame reduced to <paramref name="captureFit"/> (the size the pipeline reduces frames to anyway;
    /// <see cref="ImageSize.Full"/> for the camera's own size).
    /// </summary>
    Task OpenStreamAsync(string pipelineId, CapturePace pace, ImageSize captureFit);

    Task CloseStreamAsync();

    Task SetPaceAsync(CapturePace pace);
}

/// <summary>A camera as the browser lists it.</summary>
public sealed record CameraDevice(string Id, string Label);

/// <summary>
/// The camera module's answer to a start: the device in use and the cameras there are, or the kind of failure
/// (<c>permission_denied</c>, <c>no_camera</c>, <c>camera_in_use</c>, <c>unknown</c>).
/// </summary>
public sealed record CameraStart(string? Error, string? DeviceId, IReadOnlyList<CameraDevice>? Cameras);
