namespace StreamingApp.Core.Inference;

/// <summary>
/// One frame's place in <see cref="InferenceScheduler"/>: once <see cref="ReadyAsync"/> completes the frame holds one
/// core for all its work (decode, pre- and post-processing, model runs), and each model run may borrow idle cores
/// through <see cref="BorrowForRun"/>. Dispose it when the frame's work is done (or abandoned): that frees the core
/// for the next frame, or takes a frame still waiting out of the queue.
/// </summary>
public sealed class InferenceSlot : IDisposable
{
    private readonly InferenceScheduler _owner;

    // Continuations run on the pool, so a release (which may make the next frame ready) never runs that frame inline.
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile SlotState _state;

    internal InferenceSlot(InferenceScheduler owner, InferencePriority priority)
    {
        _owner = owner;
        Priority = priority;
    }

    public InferencePriority Priority { get; }

    /// <summary>True while the frame holds its core (from ready until disposed).</summary>
    public bool IsReady => _state == SlotState.Running;

    /// <summary>Changed only under the scheduler's lock.</summary>
    internal SlotState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>This slot's place in a queue of the scheduler while it waits.</summary>
    internal LinkedListNode<InferenceSlot>? Node { get; set; }

    /// <summary>Cores lent to the model run in progress.</summary>
    internal int Lent { get; set; }

    /// <summary>
    /// A slot of its own scheduler over <paramref name="cores"/> cores, ready at once: for callers that run one
    /// frame at a time outside the app's scheduler (the command line, benchmarks, tests).
    /// </summary>
    public static InferenceSlot Standalone(int cores) => new InferenceScheduler(cores).Enqueue(InferencePriority.Interactive);

    /// <summary>Completes when the frame holds its core; cancelling stops the wait (dispose the slot afterwards).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) =>
        _ready.Task.IsCompleted ? _ready.Task : _ready.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The threads one model run may use: this frame's core, plus cores nobody holds right now (live frames only, up
    /// to <paramref name="maxThreads"/> in all), lent until the result is disposed. Never more than the scheduler's cores.
    /// </summary>
    public RunThreads BorrowForRun(int maxThreads) => new(this, _owner.Borrow(this, maxThreads));

    public void Dispose() => _owner.Release(this);

    internal void EndRun() => _owner.EndRun(this);

    internal void MarkReady() => _ready.TrySetResult();

    internal void MarkAbandoned() => _ready.TrySetCanceled();
}

/// <summary>Where a slot is in its scheduler.</summary>
internal enum SlotState
{
    Queued,
    AwaitingCore,
    Running,
    Released,
}

/// <summary>The threads of one model run (<see cref="InferenceSlot.BorrowForRun"/>); dispose to give back the borrowed ones.</summary>
public readonly ref struct RunThreads
{
    private readonly InferenceSlot? _slot;

    internal RunThreads(InferenceSlot slot, int count)
    {
        _slot = slot;
        Count = count;
    }

    /// <summary>Threads the run may use, at least 1 (the frame's own core).</summary>
    public int Count { get; }

    public void Dispose()
    {
        if (Count > 1)
        {
            _slot!.EndRun();
        }
    }
}
