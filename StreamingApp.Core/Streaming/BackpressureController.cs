namespace StreamingApp.Core.Streaming;

/// <summary>
/// Per-session admission, decided at once and never queued: a frame is admitted when the session has no frame in
/// work (it then takes its turn for a core in the <see cref="InferenceScheduler"/>), or has fewer than
/// <see cref="MaxFramesInWork"/> and a slot is free right now (pipelining: a lone client keeping two frames in
/// flight gets both worked on, as two sessions would). Any other frame is dropped at once, before any decode.
/// So a session has at most one frame waiting for a turn, and its second frame only ever takes a slot nobody waits
/// for: flooding cannot take cores from other sessions. The state follows the drop rate over a recent window (the
/// last <see cref="WindowFrames"/> frames no older than <see cref="WindowDuration"/>), never since connect, so a slow
/// start cannot lock a session into dropping. Hysteresis: a state is left only when the rate falls to half its entry
/// threshold. Thread-safe: the receive loop admits, the processing tasks complete.
/// </summary>
public sealed class BackpressureController
{
    public const int WindowFrames = 30;

    /// <summary>Frames of one session in work at once: the one in its turn, plus one on a core that was idle.</summary>
    public const int MaxFramesInWork = 2;

    /// <summary>Below this many recent frames the rate is too noisy to act on (one drop of two is not 50%).</summary>
    public const int MinFramesForRate = 10;

    public static readonly TimeSpan WindowDuration = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly double _dropThreshold;
    private readonly double _slowdownThreshold;
    private readonly object _gate = new();

    // Ring of recent arrivals: timestamp and whether the frame was dropped.
    private readonly long[] _arrivals = new long[WindowFrames];
    private readonly bool[] _dropped = new bool[WindowFrames];
    private int _next;
    private int _count;
    private int _framesInWork;
    private BackpressureState _state;

    public BackpressureController(double dropThreshold, double slowdownThreshold, TimeProvider time)
    {
        _dropThreshold = dropThreshold;
        _slowdownThreshold = slowdownThreshold;
        _time = time;
    }

    public BackpressureState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Admits the frame with a slot of <paramref name="scheduler"/> (see the class summary) or drops it; updates the state.</summary>
    public FrameAdmission OnFrameArrived(InferenceScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var slot = _framesInWork switch
            {
                0 => scheduler.Enqueue(InferencePriority.Interactive),
                < MaxFramesInWork => scheduler.TryAdmit(InferencePriority.Interactive),
                _ => null,
            };
            if (slot is not null)
            {
                _framesInWork++;
            }

            _arrivals[_next] = now;
            _dropped[_next] = slot is null;
            _next = (_next + 1) % WindowFrames;
            _count = Math.Min(_count + 1, WindowFrames);

            var previous = _state;
            _state = NextState(previous, RecentDropRate(now));
            return new FrameAdmission(slot, previous, _state);
        }
    }

    /// <summary>An admitted frame left the pipeline (its slot disposed); the next arrival can be admitted.</summary>
    public void OnFrameCompleted()
    {
        lock (_gate)
        {
            _framesInWork--;
        }
    }

    /// <summary>Drop rate over the recent window, 0 when it holds too few frames to judge.</summary>
    public double RecentDropRate()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            return RecentDropRate(now);
        }
    }

    private double RecentDropRate(long now)
    {
        var frames = 0;
        var drops = 0;
        for (var i = 0; i < _count; i++)
        {
            var slot = (_next - 1 - i + WindowFrames) % WindowFrames;
            if (_time.GetElapsedTime(_arrivals[slot], now) > WindowDuration)
            {
                break; // older ones are older still
            }

            frames++;
            if (_dropped[slot])
            {
                drops++;
            }
        }

        return frames < MinFramesForRate ? 0 : (double)drops / frames;
    }

    private BackpressureState NextState(BackpressureState current, double rate)
    {
        if (rate > _slowdownThreshold)
        {
            return BackpressureState.SlowDown;
        }

        return current switch
        {
            BackpressureState.SlowDown when rate > _slowdownThreshold / 2 => BackpressureState.SlowDown,
            _ when rate > _dropThreshold => BackpressureState.Dropping,
            BackpressureState.SlowDown or BackpressureState.Dropping when rate > _dropThreshold / 2 => BackpressureState.Dropping,
            _ => BackpressureState.Normal,
        };
    }
}
