namespace StreamingApp.Core.Streaming;

/// <summary>How a session keeps up, from its recent drop rate (docs/BACKPRESSURE.md).</summary>
public enum BackpressureState
{
    Normal,
    Dropping,
    SlowDown,
}

/// <summary>Wire and log names of <see cref="BackpressureState"/>.</summary>
public static class BackpressureStateNames
{
    public static string ToWireName(this BackpressureState state) => state switch
    {
        BackpressureState.Normal => "normal",
        BackpressureState.Dropping => "dropping",
        BackpressureState.SlowDown => "slow_down",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
