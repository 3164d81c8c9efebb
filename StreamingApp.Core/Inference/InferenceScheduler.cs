namespace StreamingApp.Core.Inference;

/// <summary>
/// The process-wide bound on inference, as <see cref="Cores"/> tokens (about one per CPU core):
/// <list type="bullet">
/// <item>A frame in work holds one core from decode to its last model run, so at most <see cref="Cores"/> frames are
/// in work across all sessions and jobs. A frame that finds every slot taken waits in a FIFO queue
/// (<see cref="InferencePriority.Interactive"/> before <see cref="InferencePriority.Background"/>); each session has at
/// most one frame queued, so FIFO is round-robin across sessions and none can starve another.</item>
/// <item>Work-conserving: a live frame's model run may borrow cores that nobody holds, for that run only
/// (<see cref="InferenceSlot.BorrowForRun"/>). Free cores exist only while nothing waits, so borrowing never takes a
/// core a frame is waiting for. A frame admitted while its core is lent gets it back when that run ends
/// (at most one model run later), before any frame behind it.</item>
/// <item>Busy threads (held plus lent cores) never exceed <see cref="Cores"/>: no oversubscription.</item>
/// </list>
/// </summary>
public sealed class InferenceScheduler
{
    private readonly object _gate = new();
    private readonly LinkedList<InferenceSlot> _interactive = new();
    private readonly LinkedList<InferenceSlot> _background = new();
    private readonly LinkedList<InferenceSlot> _awaitingCore = new();
    private readonly long[] _runsByThreads;
    private readonly TimeProvider _time;
    private int _slotsTaken;
    private int _coresTaken;
    private int _peakCoresTaken;
    private long _coresChangedAt;
    private double _busyThreadSeconds;

    public InferenceScheduler(int cores, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cores);
        Cores = cores;
        _time = time ?? TimeProvider.System;
        _coresChangedAt = _time.GetTimestamp();
        _runsByThreads = new long[cores + 1];
    }

    public int Cores { get; }

    public InferenceLoad Load
    {
        get
        {
            lock (_gate)
            {
                SetCoresTaken(_coresTaken); // brings the busy-time integral up to now
                return new InferenceLoad(
                    Cores, _slotsTaken, _interactive.Count + _background.Count, _coresTaken, _peakCoresTaken, _busyThreadSeconds);
            }
        }
    }

    /// <summary>Model runs so far that used <paramref name="threads"/> threads (1 to <see cref="Cores"/>).</summary>
    public long RunsWithThreads(int threads) => Interlocked.Read(ref _runsByThreads[threads]);

    /// <summary>
    /// A place for one frame: admitted now when a slot is free (its core may still be lent to a run for a moment),
    /// otherwise queued for its turn. Await <see cref="InferenceSlot.ReadyAsync"/>, then work; dispose when done.
    /// </summary>
    public InferenceSlot Enqueue(InferencePriority priority)
    {
        var slot = new InferenceSlot(this, priority);
        lock (_gate)
        {
            // Nothing is queued while a slot is free, so admitting at once never jumps the queue.
            if (_slotsTaken < Cores)
            {
                Admit(slot);
            }
            else
            {
                slot.State = SlotState.Queued;
                slot.Node = (priority == InferencePriority.Interactive ? _interactive : _background).AddLast(slot);
            }
        }

        return slot;
    }

    /// <summary>A slot only if one is free now (never queued); null when every slot is taken.</summary>
    public InferenceSlot? TryAdmit(InferencePriority priority)
    {
        lock (_gate)
        {
            if (_slotsTaken >= Cores)
            {
                return null;
            }

            var slot = new InferenceSlot(this, priority);
            Admit(slot);
            return slot;
        }
    }

    /// <summary>Waits for a turn and the core (<see cref="Enqueue"/> then <see cref="InferenceSlot.ReadyAsync"/>).</summary>
    public async ValueTask<InferenceSlot> AcquireAsync(InferencePriority priority, CancellationToken cancellationToken)
    {
        var slot = Enqueue(priority);
        try
        {
            await slot.ReadyAsync(cancellationToken).ConfigureAwait(false);
            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    internal int Borrow(InferenceSlot slot, int maxThreads)
    {
        int threads;
        lock (_gate)
        {
            if (slot.State != SlotState.Running || slot.Lent > 0)
            {
                throw new InvalidOperationException("A run borrows threads only while its frame holds its core, one run at a time.");
            }

            // Jobs keep one core a frame: a live frame arriving must never wait for a job's run to end.
            var extra = slot.Priority == InferencePriority.Interactive ? Math.Clamp(maxThreads - 1, 0, Cores - _coresTaken) : 0;
            if (extra > 0)
            {
                slot.Lent = extra;
                SetCoresTaken(_coresTaken + extra);
            }

            threads = 1 + extra;
        }

        Interlocked.Increment(ref _runsByThreads[threads]);
        return threads;
    }

    internal void EndRun(InferenceSlot slot)
    {
        lock (_gate)
        {
            ReturnLent(slot);
            GiveFreeCores();
        }
    }

    internal void Release(InferenceSlot slot)
    {
        lock (_gate)
        {
            switch (slot.State)
            {
                case SlotState.Released:
                    return;
                case SlotState.Queued:
                    slot.Node!.List!.Remove(slot.Node);
                    break;
                case SlotState.AwaitingCore:
                    _awaitingCore.Remove(slot.Node!);
                    _slotsTaken--;
                    break;
                case SlotState.Running:
                    ReturnLent(slot);
                    SetCoresTaken(_coresTaken - 1);
                    _slotsTaken--;
                    break;
            }

            var wasWaiting = slot.State != SlotState.Running;
            slot.State = SlotState.Released;
            slot.Node = null;
            if (wasWaiting)
            {
                slot.MarkAbandoned();
            }

            // Admitted frames first (their slot is already theirs), then the queue.
            GiveFreeCores();
            AdmitQueued();
        }
    }

    private void Admit(InferenceSlot slot)
    {
        _slotsTaken++;
        if (_coresTaken < Cores)
        {
            Start(slot);
        }
        else
        {
            slot.State = SlotState.AwaitingCore;
            slot.Node = _awaitingCore.AddLast(slot);
        }
    }

    private void Start(InferenceSlot slot)
    {
        SetCoresTaken(_coresTaken + 1);
        slot.State = SlotState.Running;
        slot.Node = null;
        slot.MarkReady();
    }

    private void GiveFreeCores()
    {
        while (_coresTaken < Cores && _awaitingCore.First is { } first)
        {
            _awaitingCore.RemoveFirst();
            Start(first.Value);
        }
    }

    private void AdmitQueued()
    {
        while (_slotsTaken < Cores && (_interactive.First ?? _background.First) is { } first)
        {
            first.List!.Remove(first);
            Admit(first.Value);
        }
    }

    private void ReturnLent(InferenceSlot slot)
    {
        if (slot.Lent > 0)
        {
            SetCoresTaken(_coresTaken - slot.Lent);
            slot.Lent = 0;
        }
    }

    private void SetCoresTaken(int value)
    {
        var now = _time.GetTimestamp();
        _busyThreadSeconds += _coresTaken * _time.GetElapsedTime(_coresChangedAt, now).TotalSeconds;
        _coresChangedAt = now;
        _coresTaken = value;
        _peakCoresTaken = Math.Max(_peakCoresTaken, value);
    }
}
