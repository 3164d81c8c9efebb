namespace StreamingApp.Core.Streaming;

/// <summary>
/// One live stream connection (docs/SESSION_MODEL.md), in memory only. Created by
/// <see cref="SessionRegistry.Open"/>; disposing it removes it from the registry.
/// Counters are written by the receive loop and the processing tasks and read by logs and metrics.
/// </summary>
public sealed class StreamSession : IDisposable
{
    private readonly SessionRegistry _registry;
    private readonly TimeProvider _time;
    private readonly long _connectedTimestamp;
    private long _framesReceived;
    private long _framesProcessed;
    private long _droppedFrames;
    private long _lastProcessedTicks = -1;
    private int _disposed;

    internal StreamSession(SessionRegistry registry, string pipelineId, string? remoteAddress, StreamOptions options, TimeProvider time)
    {
        _registry = registry;
        _time = time;
        SessionId = Guid.NewGuid();
        PipelineId = pipelineId;
        RemoteAddress = remoteAddress;
        _connectedTimestamp = time.GetTimestamp();
        Backpressure = new BackpressureController(options.DropThreshold, options.SlowdownThreshold, time);
    }

    public Guid SessionId { get; }

    public string PipelineId { get; }

    public string? RemoteAddress { get; }

    public BackpressureController Backpressure { get; }

    public BackpressureState BackpressureState => Backpressure.State;

    /// <summary>Frames received so far; the next frame's 0-based <c>frame_index</c>.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public long FramesProcessed => Interlocked.Read(ref _framesProcessed);

    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>When the last result was produced; null before the first.</summary>
    public DateTimeOffset? LastProcessedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastProcessedTicks);
            return ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public TimeSpan Duration => _time.GetElapsedTime(_connectedTimestamp);

    /// <summary>Gives the arriving frame its index (0-based, every received frame counts).</summary>
    public long NextFrameIndex() => Interlocked.Increment(ref _framesReceived) - 1;

    public void RecordDropped() => Interlocked.Increment(ref _droppedFrames);

    /// <summary>A frame was answered with a result (its timings go with the answer and to the stream metrics).</summary>
    public void RecordProcessed()
    {
        Interlocked.Increment(ref _framesProcessed);
        Interlocked.Exchange(ref _lastProcessedTicks, _time.GetUtcNow().UtcTicks);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _registry.Remove(this);
        }
    }
}
