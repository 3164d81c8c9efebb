using Microsoft.Extensions.Configuration;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// Stream settings. Keys are the environment variable names, so the same names work in
/// the environment and at the top level of appsettings.json.
/// </summary>
public sealed class StreamOptions
{
    public const string DropThresholdKey = "STREAM_DROP_THRESHOLD";
    public const string SlowdownThresholdKey = "STREAM_SLOWDOWN_THRESHOLD";
    public const string MaxFrameSizeMbKey = "STREAM_MAX_FRAME_SIZE_MB";
    public const string MaxSessionsKey = "STREAM_MAX_SESSIONS";

    /// <summary>Recent drop rate above which a session is in the <c>dropping</c> state.</summary>
    [ConfigurationKeyName(DropThresholdKey)]
    public double DropThreshold { get; set; } = 0.10;

    /// <summary>Recent drop rate above which a session enters <c>slow_down</c> and is told so once.</summary>
    [ConfigurationKeyName(SlowdownThresholdKey)]
    public double SlowdownThreshold { get; set; } = 0.30;

    /// <summary>Largest accepted frame, in MiB; enforced while the frame is received.</summary>
    [ConfigurationKeyName(MaxFrameSizeMbKey)]
    public int MaxFrameSizeMb { get; set; } = 5;

    /// <summary>Recommended maximum of live sessions: above it a warning is logged and counted, not enforced.</summary>
    [ConfigurationKeyName(MaxSessionsKey)]
    public int MaxSessions { get; set; } = 10;

    public int MaxFrameBytes => MaxFrameSizeMb * 1024 * 1024;
}
