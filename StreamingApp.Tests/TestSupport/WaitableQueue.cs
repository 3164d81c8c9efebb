using System.Collections;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// What arrives from other threads (log events, a process's output lines, job changes), kept in order, with a wait
/// for the first item that matches: a test waits for the arrival itself instead of polling for it.
/// </summary>
public sealed class WaitableQueue<T> : IReadOnlyCollection<T>
{
    /// <summary>A hang guard sized for a machine busy with other work too; the tests wait for order, not speed.</summary>
    public static readonly TimeSpan DefaultGuard = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Arrived)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            _waiters.RemoveAll(w => w.Match(item) && w.Arrived.TrySetResult(item));
        }
    }

    /// <summary>The first item, already here or to come, that matches; a <see cref="TimeoutException"/> naming the
    /// last items after <paramref name="guard"/> (<see cref="DefaultGuard"/> when not given).</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan? guard = null)
    {
        var arrived = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var item in _items)
            {
                if (match(item))
                {
                    return item;
                }
            }

            _waiters.Add((match, arrived));
        }

        try
        {
            return await arrived.Task.WaitAsync(guard ?? DefaultGuard);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Arrived == arrived);
                throw new TimeoutException(
                    $"Nothing matched within {guard ?? DefaultGuard}; the last of {_items.Count}:\n" + string.Join('\n', _items.TakeLast(30)));
            }
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        lock (_gate)
        {
            return _items.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
