namespace StreamingApp.Components.Stream;

/// <summary>
/// The cap on the browser's capture rate: 15 FPS at the start, 5 when the server says <c>slow_down</c>, then one
/// more for every 2 s without a dropped frame, back to 15. (Under the cap, the browser sends a frame only once the
/// previous one is answered, so a slow pipeline is paced by its answers.)
/// </summary>
public sealed class FrameRatePolicy(TimeProvider time)
{
    public const int MaxFps = 15;
    public const int SlowDownFps = 5;
    public static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(2);

    private long _calmSince = time.GetTimestamp();

    public int Fps { get; private set; } = MaxFps;

    public void Reset()
    {
        Fps = MaxFps;
        _calmSince = time.GetTimestamp();
    }

    public void OnSlowDown()
    {
        Fps = SlowDownFps;
        _calmSince = time.GetTimestamp();
    }

    public void OnDropped() => _calmSince = time.GetTimestamp();

    /// <summary>Climbs one step per calm <see cref="RecoveryStep"/> since the last drop or step.</summary>
    public void Recover()
    {
        while (Fps < MaxFps && time.GetElapsedTime(_calmSince) >= RecoveryStep)
        {
            Fps++;
            _calmSince += (long)(RecoveryStep.TotalSeconds * time.TimestampFrequency);
        }
    }
}
