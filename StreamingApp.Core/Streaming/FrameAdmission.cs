namespace StreamingApp.Core.Streaming;

/// <summary>
/// What <see cref="BackpressureController.OnFrameArrived"/> decided for one frame: admitted with its
/// <see cref="Slot"/> (which the frame's processing then owns), or dropped. <see cref="EnteredSlowDown"/> is true
/// only on the frame that moved the session into <c>slow_down</c>, so the warning is sent once per entry.
/// </summary>
public readonly record struct FrameAdmission(
    InferenceSlot? Slot,
    BackpressureState PreviousState,
    BackpressureState State)
{
    public bool Accepted => Slot is not null;

    public bool StateChanged => PreviousState != State;

    public bool EnteredSlowDown => StateChanged && State == BackpressureState.SlowDown;
}
