namespace StreamingApp.Core.Inference;

/// <summary>
/// A counting gate over inference slots with two FIFO wait queues. A freed slot goes to the oldest
/// <see cref="InferencePriority.Interactive"/> waiter, and to a <see cref="InferencePriority.Background"/> waiter
/// only when no interactive one waits. Each live session has at most one frame waiting, so FIFO order is
/// round-robin across sessions: none can starve another.
/// </summary>
public sealed class InferenceScheduler : IInferenceScheduler
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _interactive = new();
    private readonly LinkedList<Waiter> _background = new();
    private int _free;

    public InferenceScheduler(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        Slots = slots;
        _free = slots;
    }

    public int Slots { get; }

    /// <summary>Slots not handed out (for tests and diagnostics).</summary>
    public int FreeSlots
    {
        get
        {
            lock (_gate)
            {
                return _free;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _interactive.Count + _background.Count;
            }
        }
    }

    public ValueTask<IDisposable> AcquireAsync(InferencePriority priority, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IDisposable>(cancellationToken);
        }

        Waiter waiter;
        lock (_gate)
        {
            // Waiters exist only while no slot is free, so a free slot can be taken without jumping the queue.
            if (_free > 0)
            {
                _free--;
                return ValueTask.FromResult<IDisposable>(new Lease(this));
            }

            waiter = new Waiter();
            var queue = priority == InferencePriority.Interactive ? _interactive : _background;
            waiter.Node = queue.AddLast(waiter);

            // Registered under the lock so Release never reads a half-written registration; a token cancelled
            // meanwhile runs Cancel inline, which re-enters this (reentrant) lock and dequeues the waiter.
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(
                    static state =>
                    {
                        var (scheduler, w, token) = ((InferenceScheduler, Waiter, CancellationToken))state!;
                        scheduler.Cancel(w, token);
                    },
                    (this, waiter, cancellationToken));
            }
        }

        return new ValueTask<IDisposable>(waiter.Completion.Task);
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_gate)
        {
            // Already handed a slot: the caller gets the lease and gives it back.
            if (waiter.Node?.List is null)
            {
                return;
            }

            waiter.Node.List.Remove(waiter.Node);
        }

        waiter.Completion.TrySetCanceled(token);
    }

    private void Release()
    {
        Waiter? next;
        lock (_gate)
        {
            var node = _interactive.First ?? _background.First;
            if (node is null)
            {
                _free++;
                return;
            }

            node.List!.Remove(node);
            next = node.Value;
        }

        next.Registration.Dispose();
        next.Completion.TrySetResult(new Lease(this));
    }

    private sealed class Waiter
    {
        // Continuations run on the pool so Release (called from a lease's Dispose) never runs the next frame inline.
        public TaskCompletionSource<IDisposable> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(InferenceScheduler owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
