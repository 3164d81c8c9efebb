namespace StreamingApp.Core.Inference;

/// <summary>
/// Keeps native ONNX Runtime objects (sessions, run options, pinned tensors) alive while a run uses them. A host that
/// stops disposes its singletons while a stream's or a job's frame may still be in <c>Run</c>; freeing them then
/// crashes the whole process inside onnxruntime. Each run enters the guard; <see cref="Dispose"/> refuses new runs,
/// waits for those in flight (bounded), and only then releases the natives.
/// </summary>
public sealed class NativeRunGuard(Action release, TimeSpan? drainTimeout = null) : IDisposable
{
    private readonly object _lock = new();
    private readonly TimeSpan _drainTimeout = drainTimeout ?? TimeSpan.FromSeconds(30);
    private int _running;
    private bool _closed;
    private bool _released;

    /// <summary>Marks a run in flight until the returned scope is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The engine is shutting down.</exception>
    public Scope Enter()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _running++;
        }

        return new Scope(this);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            var deadline = Environment.TickCount64 + (long)_drainTimeout.TotalMilliseconds;
            while (_running > 0)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_lock, TimeSpan.FromMilliseconds(left)))
                {
                    // A run stuck past the timeout: leaking its natives is safe, freeing them under it is not.
                    return;
                }
            }

            if (_released)
            {
                return;
            }

            _released = true;
        }

        release();
    }

    private void Exit()
    {
        lock (_lock)
        {
            if (--_running == 0)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    public readonly struct Scope(NativeRunGuard guard) : IDisposable
    {
        public void Dispose() => guard.Exit();
    }
}
