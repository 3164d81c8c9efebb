using StreamingApp.Core.Inference;

namespace StreamingApp.Tests.Inference;

public sealed class InferenceSchedulerTests
{
    [Fact]
    public async Task AcquireAsync_FreeSlots_GrantsImmediately()
    {
        var scheduler = new InferenceScheduler(2);

        var a = scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
        var b = scheduler.AcquireAsync(InferencePriority.Background, CancellationToken.None);

        Assert.True(a.IsCompletedSuccessfully);
        Assert.True(b.IsCompletedSuccessfully);
        Assert.Equal(0, scheduler.FreeSlots);
        (await a).Dispose();
        (await b).Dispose();
        Assert.Equal(2, scheduler.FreeSlots);
    }

    [Fact]
    public async Task AcquireAsync_NoFreeSlot_WaitsUntilReleased()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);

        var waiting = scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        (await waiting).Dispose();

        Assert.Equal(1, scheduler.FreeSlots);
    }

    [Fact]
    public async Task Release_InteractiveWaiters_ServedInArrivalOrder()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
        var order = new List<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var id = i;
            var acquire = scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None).AsTask();
            waiters.Add(acquire.ContinueWith(
                t =>
                {
                    lock (order)
                    {
                        order.Add(id);
                    }

                    t.Result.Dispose();
                },
                TaskScheduler.Default));
        }

        held.Dispose();
        await Task.WhenAll(waiters);

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task Release_InteractiveAndBackgroundWaiting_InteractiveFirst()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
        var background = scheduler.AcquireAsync(InferencePriority.Background, CancellationToken.None).AsTask();
        var interactive = scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None).AsTask();

        held.Dispose();
        var first = await interactive;

        Assert.False(background.IsCompleted);
        first.Dispose();
        (await background).Dispose();
        Assert.Equal(1, scheduler.FreeSlots);
    }

    [Fact]
    public async Task Release_OnlyBackgroundWaiting_BackgroundGetsTheSlot()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(InferencePriority.Background, CancellationToken.None);
        var background = scheduler.AcquireAsync(InferencePriority.Background, CancellationToken.None).AsTask();

        held.Dispose();
        var lease = await background;

        Assert.Equal(0, scheduler.FreeSlots);
        lease.Dispose();
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_LeavesTheQueueAndSlotCount()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = scheduler.AcquireAsync(InferencePriority.Interactive, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, scheduler.Waiting);
        held.Dispose();
        Assert.Equal(1, scheduler.FreeSlots);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_Throws()
    {
        var scheduler = new InferenceScheduler(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => scheduler.AcquireAsync(InferencePriority.Interactive, new CancellationToken(canceled: true)).AsTask());
        Assert.Equal(1, scheduler.FreeSlots);
    }

    [Fact]
    public async Task Lease_DisposedTwice_ReleasesOnce()
    {
        var scheduler = new InferenceScheduler(2);
        var lease = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(2, scheduler.FreeSlots);
    }

    [Fact]
    public async Task AcquireAsync_ManyConcurrentUsers_NeverExceedsTheBound()
    {
        var scheduler = new InferenceScheduler(2);
        var inside = 0;
        var maxInside = 0;

        async Task Work(InferencePriority priority)
        {
            for (var i = 0; i < 50; i++)
            {
                using var lease = await scheduler.AcquireAsync(priority, CancellationToken.None);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }

        var workers = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            workers.Add(Task.Run(() => Work(i % 2 == 0 ? InferencePriority.Interactive : InferencePriority.Background)));
        }

        await Task.WhenAll(workers);

        Assert.InRange(maxInside, 1, 2);
        Assert.Equal(2, scheduler.FreeSlots);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
