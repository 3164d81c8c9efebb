namespace StreamingApp.Core.Streaming;

/// <summary>
/// Per-session admission: at most one frame in the pipeline, a frame arriving while one is in flight is
/// dropped at once (before any decode), and the state follows the drop rate over a recent window
/// (the last <see cref="WindowFrames"/> frames no older than <see cref="WindowDuration"/>), never since connect,
/// so a slow start cannot lock a session into dropping. Hysteresis: a state is left only when the rate falls
/// to half its entry threshold. Thread-safe: the receive loop admits, the processing task completes.
/// </summary>
public sealed class BackpressureController
{
    public const int WindowFrames = 30;

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
    private bool _inFlight;
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

    public bool InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Admits the frame (and marks it in flight) unless another one is in flight; updates the state.</summary>
    public FrameAdmission OnFrameArrived()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var accepted = !_inFlight;
            _inFlight = true;
            _arrivals[_next] = now;
            _dropped[_next] = !accepted;
            _next = (_next + 1) % WindowFrames;
            _count = Math.Min(_count + 1, WindowFrames);

            var previous = _state;
            _state = NextState(previous, RecentDropRate(now));
            return new FrameAdmission(accepted, previous, _state);
        }
    }

    /// <summary>The admitted frame left the pipeline; the next arrival can be admitted.</summary>
    public void OnFrameCompleted()
    {
        lock (_gate)
        {
            _inFlight = false;
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
