namespace StreamingApp.Components.Stream;

/// <summary>How fast the browser may capture: a rate cap, and how many frames may await their answers at once.</summary>
public sealed record CapturePace(int MaxFps, int MaxInFlight);

/// <summary>
/// The stream page's capture pace, decided from what the server answers. The browser captures a frame only when the
/// cap allows and fewer than <see cref="CapturePace.MaxInFlight"/> frames await their answers, so a slow pipeline is
/// paced by its answers, never by piling frames up.
/// <list type="bullet">
/// <item>Cap: 15 FPS; 5 when the server says <c>slow_down</c>; then one more for every 2 s without a dropped frame.</item>
/// <item>Frames in flight: two while none is dropped — the server runs a session's second frame on an idle core, so
/// on an idle machine a slow pipeline gets both; after a drop (no core was idle) one, until 20 answers in a row were
/// not dropped. The server never drops a session's only frame, so a steady stream sees at most one drop in 21
/// frames, whatever the pipeline's pace.</item>
/// </list>
/// </summary>
public sealed class CapturePacing(TimeProvider time)
{
    public const int MaxFps = 15;
    public const int SlowDownFps = 5;
    public const int MaxInFlight = 2;
    public const int CalmAnswersBeforeTwo = 20;
    public static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(2);

    private long _calmSince = time.GetTimestamp();
    private int _calmAnswers;

    public CapturePace Pace { get; private set; } = new(MaxFps, MaxInFlight);

    public void Reset()
    {
        Pace = new CapturePace(MaxFps, MaxInFlight);
        _calmSince = time.GetTimestamp();
        _calmAnswers = 0;
    }

    public void OnSlowDown()
    {
        Pace = Pace with { MaxFps = SlowDownFps };
        _calmSince = time.GetTimestamp();
    }

    public void OnDropped()
    {
        Pace = Pace with { MaxInFlight = 1 };
        _calmSince = time.GetTimestamp();
        _calmAnswers = 0;
    }

    /// <summary>A frame was answered with a result.</summary>
    public void OnResult()
    {
        if (++_calmAnswers >= CalmAnswersBeforeTwo)
        {
            Pace = Pace with { MaxInFlight = MaxInFlight };
        }
    }

    /// <summary>The cap climbs one step per calm <see cref="RecoveryStep"/> since the last drop or step.</summary>
    public void Recover()
    {
        var fps = Pace.MaxFps;
        while (fps < MaxFps && time.GetElapsedTime(_calmSince) >= RecoveryStep)
        {
            fps++;
            _calmSince += (long)(RecoveryStep.TotalSeconds * time.TimestampFrequency);
        }

        Pace = Pace with { MaxFps = fps };
    }
}
