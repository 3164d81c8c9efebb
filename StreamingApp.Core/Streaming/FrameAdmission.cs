namespace StreamingApp.Core.Streaming;

/// <summary>
/// What <see cref="BackpressureController.OnFrameArrived"/> decided for one frame.
/// <see cref="EnteredSlowDown"/> is true only on the frame that moved the session into <c>slow_down</c>,
/// so the warning is sent once per entry.
/// </summary>
public readonly record struct FrameAdmission(
    bool Accepted,
    BackpressureState PreviousState,
    BackpressureState State)
{
    public bool StateChanged => PreviousState != State;

    public bool EnteredSlowDown => StateChanged && State == BackpressureState.SlowDown;
}
