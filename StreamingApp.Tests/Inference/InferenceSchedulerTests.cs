using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Inference;

public sealed class InferenceSchedulerTests
{
    private const InferencePriority Live = InferencePriority.Interactive;
    private const InferencePriority Job = InferencePriority.Background;

    [Fact]
    public async Task AcquireAsync_FreeCores_GrantsImmediately()
    {
        var scheduler = new InferenceScheduler(2);

        var a = scheduler.AcquireAsync(Live, CancellationToken.None);
        var b = scheduler.AcquireAsync(Job, CancellationToken.None);

        Assert.True(a.IsCompletedSuccessfully);
        Assert.True(b.IsCompletedSuccessfully);
        Assert.Equal((2, 2), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads));
        (await a).Dispose();
        (await b).Dispose();
        Assert.Equal((0, 0), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads));
    }

    [Fact]
    public async Task AcquireAsync_NoFreeSlot_WaitsUntilReleased()
    {
        var scheduler = new InferenceScheduler(1);
        var held = await scheduler.AcquireAsync(Live, CancellationToken.None);

        var waiting = scheduler.AcquireAsync(Live, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        (await waiting).Dispose();

        Assert.Equal(0, scheduler.Load.BusyThreads);
    }

    [Fact]
    public void Release_InteractiveWaiters_ServedInArrivalOrder()
    {
        var scheduler = new InferenceScheduler(1);
        var held = scheduler.Enqueue(Live);
        var waiters = Enumerable.Range(0, 5).Select(_ => scheduler.Enqueue(Live)).ToList();

        var order = new List<int>();
        held.Dispose();
        for (var turn = 0; turn < waiters.Count; turn++)
        {
            var ready = waiters.FindIndex(w => w.IsReady);
            order.Add(ready);
            waiters[ready].Dispose();
        }

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public void Release_InteractiveAndBackgroundWaiting_InteractiveFirst()
    {
        var scheduler = new InferenceScheduler(1);
        var held = scheduler.Enqueue(Live);
        using var background = scheduler.Enqueue(Job);
        using var interactive = scheduler.Enqueue(Live);

        held.Dispose();

        Assert.True(interactive.IsReady);
        Assert.False(background.IsReady);
        interactive.Dispose();
        Assert.True(background.IsReady);
    }

    [Fact]
    public async Task ReadyAsync_CancelledWhileQueued_DisposeLeavesTheQueue()
    {
        var scheduler = new InferenceScheduler(1);
        var held = scheduler.Enqueue(Live);
        using var cancel = new CancellationTokenSource();
        var waiting = scheduler.Enqueue(Live);
        var ready = waiting.ReadyAsync(cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ready);
        waiting.Dispose();

        Assert.Equal(0, scheduler.Load.FramesWaiting);
        held.Dispose();
        Assert.Equal((0, 0), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads));
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_ThrowsAndHoldsNothing()
    {
        var scheduler = new InferenceScheduler(1);
        using var held = scheduler.Enqueue(Live);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => scheduler.AcquireAsync(Live, new CancellationToken(canceled: true)).AsTask());

        Assert.Equal((1, 0), (scheduler.Load.FramesInWork, scheduler.Load.FramesWaiting));
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnce()
    {
        var scheduler = new InferenceScheduler(2);
        var slot = scheduler.Enqueue(Live);
        using var other = scheduler.Enqueue(Live);

        slot.Dispose();
        slot.Dispose();

        Assert.Equal((1, 1), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads));
    }

    [Theory]
    [InlineData(8, 4)]
    [InlineData(3, 3)]
    [InlineData(1, 1)]
    public void BorrowForRun_AloneOnTheMachine_UsesIdleCoresUpToTheMaximum(int maxThreads, int expected)
    {
        var scheduler = new InferenceScheduler(4);
        using var slot = scheduler.Enqueue(Live);

        int during;
        using (var threads = slot.BorrowForRun(maxThreads))
        {
            Assert.Equal(expected, threads.Count);
            during = scheduler.Load.BusyThreads;
        }

        Assert.Equal((expected, 1), (during, scheduler.Load.BusyThreads));
        Assert.Equal(1, scheduler.RunsWithThreads(expected));
    }

    [Fact]
    public void BorrowForRun_EveryCoreHeldByAFrame_OneThread()
    {
        var scheduler = new InferenceScheduler(2);
        using var other = scheduler.Enqueue(Live);
        using var slot = scheduler.Enqueue(Live);

        using var threads = slot.BorrowForRun(2);

        Assert.Equal(1, threads.Count);
        Assert.Equal(2, scheduler.Load.BusyThreads);
    }

    [Fact]
    public void BorrowForRun_JobFrame_NeverBorrows()
    {
        var scheduler = new InferenceScheduler(4);
        using var slot = scheduler.Enqueue(Job);

        using var threads = slot.BorrowForRun(4);

        Assert.Equal(1, threads.Count);
    }

    [Fact]
    public void BorrowForRun_BeforeTheSlotHoldsItsCore_Throws()
    {
        var scheduler = new InferenceScheduler(1);
        using var held = scheduler.Enqueue(Live);
        using var queued = scheduler.Enqueue(Live);

        Assert.Throws<InvalidOperationException>(() => queued.BorrowForRun(2).Dispose());
    }

    [Fact]
    public void TryAdmit_WhileTheIdleCoreIsLent_AdmittedAtOnceAndStartsWhenThatRunEnds()
    {
        var scheduler = new InferenceScheduler(2);
        using var first = scheduler.Enqueue(Live);
        var run = first.BorrowForRun(2);

        using var second = scheduler.TryAdmit(Live);

        Assert.NotNull(second);
        Assert.False(second.IsReady);
        Assert.Equal((2, 2), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads));
        run.Dispose();
        Assert.True(second.IsReady);
        Assert.Equal(2, scheduler.Load.BusyThreads);
        Assert.Equal(1, second.BorrowForRun(2).Count); // both cores held: the next runs use one thread each
    }

    [Fact]
    public void TryAdmit_EverySlotTaken_NullAndNothingQueued()
    {
        var scheduler = new InferenceScheduler(1);
        using var held = scheduler.Enqueue(Live);

        var extra = scheduler.TryAdmit(Live);

        Assert.Null(extra);
        Assert.Equal(0, scheduler.Load.FramesWaiting);
    }

    [Fact]
    public void Release_AdmittedFrameWaitingForALentCore_GetsItBeforeTheQueue()
    {
        var scheduler = new InferenceScheduler(2);
        var first = scheduler.Enqueue(Live);
        var run = first.BorrowForRun(2);
        using var admitted = scheduler.TryAdmit(Live)!;
        using var queued = scheduler.Enqueue(Live);

        run.Dispose();
        first.Dispose();

        Assert.True(admitted.IsReady);
        Assert.True(queued.IsReady);
        Assert.Equal((2, 2, 0), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads, scheduler.Load.FramesWaiting));
    }

    [Fact]
    public void Load_BusyThreadSeconds_IntegratesHeldAndLentCoresOverTime()
    {
        var time = new FakeTimeProvider();
        var scheduler = new InferenceScheduler(2, time);
        var slot = scheduler.Enqueue(Live);
        time.Advance(TimeSpan.FromSeconds(1));   // 1 thread × 1 s
        var run = slot.BorrowForRun(2);
        time.Advance(TimeSpan.FromSeconds(2));   // 2 threads × 2 s
        run.Dispose();
        slot.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));   // idle

        Assert.Equal(5.0, scheduler.Load.BusyThreadSeconds, 6);
        Assert.Equal(2, scheduler.Load.PeakBusyThreads);
    }

    [Fact]
    public void AnySequence_BusyThreadsNeverExceedCoresAndNoCoreIdlesWhileAFrameWaits()
    {
        // A fixed seed: the same few thousand admissions, queueings, runs and releases on every run of the test.
        var random = new Random(11);
        var scheduler = new InferenceScheduler(3);
        var slots = new List<InferenceSlot>();
        var runs = new Dictionary<InferenceSlot, RunHandle>();
        for (var step = 0; step < 5000; step++)
        {
            Act(random, scheduler, slots, runs);
            var load = scheduler.Load;
            Assert.InRange(load.BusyThreads, 0, load.Cores);
            Assert.InRange(load.FramesInWork, 0, load.Cores);
            Assert.True(load.FramesWaiting == 0 || load.FramesInWork == load.Cores, $"a frame waits with a slot free (step {step})");
            var awaitingCore = slots.Count(s => !s.IsReady) - load.FramesWaiting;
            Assert.True(awaitingCore == 0 || load.BusyThreads == load.Cores, $"an admitted frame waits with a core idle (step {step})");
        }

        foreach (var slot in slots)
        {
            slot.Dispose();
        }

        Assert.Equal((0, 0, 0), (scheduler.Load.FramesInWork, scheduler.Load.BusyThreads, scheduler.Load.FramesWaiting));
        Assert.Equal(3, scheduler.Load.PeakBusyThreads);
    }

    [Fact]
    public async Task ManyConcurrentFrames_ThreadsInUseNeverExceedTheCores()
    {
        var scheduler = new InferenceScheduler(2);
        var inUse = 0;
        var maxInUse = 0;

        void Run(InferenceSlot slot)
        {
            using var threads = slot.BorrowForRun(2);
            InterlockedMax(ref maxInUse, Interlocked.Add(ref inUse, threads.Count));
            Thread.Yield();
            Interlocked.Add(ref inUse, -threads.Count);
        }

        async Task Work(InferencePriority priority)
        {
            for (var i = 0; i < 50; i++)
            {
                using var slot = await scheduler.AcquireAsync(priority, CancellationToken.None);
                Run(slot);
                await Task.Yield();
            }
        }

        var workers = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var priority = i % 2 == 0 ? Live : Job;
            workers.Add(Task.Run(() => Work(priority)));
        }

        await Task.WhenAll(workers);

        Assert.InRange(maxInUse, 1, 2);
        Assert.Equal(0, scheduler.Load.BusyThreads);
    }

    private static void Act(Random random, InferenceScheduler scheduler, List<InferenceSlot> slots, Dictionary<InferenceSlot, RunHandle> runs)
    {
        var running = slots.Where(s => s.IsReady).ToList();
        switch (random.Next(5))
        {
            case 0:
                slots.Add(scheduler.Enqueue(random.Next(3) == 0 ? Job : Live));
                break;
            case 1 when scheduler.TryAdmit(Live) is { } admitted:
                slots.Add(admitted);
                break;
            case 2 when running.Count > 0:
                var starting = running[random.Next(running.Count)];
                if (!runs.ContainsKey(starting))
                {
                    runs[starting] = RunHandle.Start(starting, 1 + random.Next(3));
                }

                break;
            case 3 when runs.Count > 0:
                var ending = runs.Keys.ElementAt(random.Next(runs.Count));
                runs[ending].End();
                runs.Remove(ending);
                break;
            case 4 when slots.Count > 0:
                var leaving = slots[random.Next(slots.Count)];
                if (runs.Remove(leaving, out var run))
                {
                    run.End();
                }

                leaving.Dispose();
                slots.Remove(leaving);
                break;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>A run in progress across steps of the sequence test (a <see cref="RunThreads"/> lives in one method only).</summary>
    private sealed class RunHandle(InferenceSlot slot, int count)
    {
        public static RunHandle Start(InferenceSlot slot, int maxThreads) => new(slot, slot.BorrowForRun(maxThreads).Count);

        /// <summary>What disposing the run's <see cref="RunThreads"/> does.</summary>
        public void End()
        {
            if (count > 1)
            {
                slot.EndRun();
            }
        }
    }
}
