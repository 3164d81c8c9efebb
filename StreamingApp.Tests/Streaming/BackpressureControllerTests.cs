using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Streaming;

/// <summary>
/// The window, states and hysteresis on a busy machine (a scheduler with one core: a second frame of the session
/// never finds a core idle), then pipelining and fairness with two cores.
/// </summary>
public sealed class BackpressureControllerTests
{
    private static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(66); // 15 FPS

    private readonly FakeTimeProvider _time = new();
    private readonly InferenceScheduler _busy = new(1);
    private readonly Queue<InferenceSlot> _inWork = new();

    private BackpressureController Create() => new(0.10, 0.30, _time);

    private FrameAdmission Arrive(BackpressureController controller, InferenceScheduler? scheduler = null)
    {
        var admission = controller.OnFrameArrived(scheduler ?? _busy);
        if (admission.Slot is { } slot)
        {
            _inWork.Enqueue(slot);
        }

        return admission;
    }

    /// <summary>The oldest admitted frame is done: its slot is released, as the stream does.</summary>
    private void Complete(BackpressureController controller)
    {
        _inWork.Dequeue().Dispose();
        controller.OnFrameCompleted();
    }

    /// <summary>A frame that is processed before the next one arrives.</summary>
    private FrameAdmission ProcessedFrame(BackpressureController controller)
    {
        var admission = Arrive(controller);
        Complete(controller);
        _time.Advance(FrameInterval);
        return admission;
    }

    /// <summary>One frame in work while <paramref name="dropped"/> more arrive, <paramref name="apart"/> apart, each dropped;
    /// then the one in work completes.</summary>
    private void BurstWhileBusy(BackpressureController controller, int dropped, TimeSpan apart = default)
    {
        Arrive(controller);
        for (var i = 0; i < dropped; i++)
        {
            _time.Advance(apart);
            Arrive(controller);
        }

        Complete(controller);
    }

    [Fact]
    public void OnFrameArrived_WhileAFrameIsInWorkAndNoCoreIdle_DropsIt()
    {
        var controller = Create();

        var first = Arrive(controller);
        var second = Arrive(controller);

        Assert.True(first.Accepted);
        Assert.False(second.Accepted);
    }

    [Fact]
    public void OnFrameArrived_AfterCompletion_AcceptsAgain()
    {
        var controller = Create();
        Arrive(controller);
        Complete(controller);

        var next = Arrive(controller);

        Assert.True(next.Accepted);
    }

    [Fact]
    public void OnFrameArrived_SteadyPace_StaysNormal()
    {
        var controller = Create();

        for (var i = 0; i < 100; i++)
        {
            var admission = ProcessedFrame(controller);
            Assert.True(admission.Accepted);
            Assert.Equal(BackpressureState.Normal, admission.State);
        }
    }

    [Fact]
    public void OnFrameArrived_BurstWhileBusy_EntersSlowDownExactlyOnce()
    {
        var controller = Create();
        Arrive(controller); // in flight for the whole burst

        var entries = 0;
        for (var i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            if (Arrive(controller).EnteredSlowDown)
            {
                entries++;
            }
        }

        Assert.Equal(1, entries);
        Assert.Equal(BackpressureState.SlowDown, controller.State);
    }

    [Fact]
    public void OnFrameArrived_FirstFramesSlow_DoNotLockTheSessionIn()
    {
        // The cumulative rule's failure: a slow start makes the rate high forever. Here the window forgets it.
        var controller = Create();
        BurstWhileBusy(controller, dropped: 20, FrameInterval);
        Assert.Equal(BackpressureState.SlowDown, controller.State);

        for (var i = 0; i < BackpressureController.WindowFrames; i++)
        {
            Assert.True(ProcessedFrame(controller).Accepted);
        }

        Assert.Equal(BackpressureState.Normal, controller.State);
        Assert.Equal(0, controller.RecentDropRate());
    }

    [Fact]
    public void RecentDropRate_OldFramesBeyondTheWindowDuration_AreForgotten()
    {
        var controller = Create();
        BurstWhileBusy(controller, dropped: 20);

        _time.Advance(BackpressureController.WindowDuration + TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, controller.RecentDropRate());
    }

    [Fact]
    public void OnFrameArrived_RateBetweenExitAndEntryThresholds_KeepsSlowDown()
    {
        // Hysteresis: slow_down is left only when the rate falls to half its threshold (0.15).
        var controller = Create();
        BurstWhileBusy(controller, dropped: 29);
        Assert.Equal(BackpressureState.SlowDown, controller.State);

        // 24 processed + 6 dropped in the window = 0.20: below 0.30 but above 0.15.
        for (var i = 0; i < 24; i++)
        {
            ProcessedFrame(controller);
        }

        Assert.Equal(0.2, controller.RecentDropRate(), 3);
        Assert.Equal(BackpressureState.SlowDown, controller.State);
    }

    [Fact]
    public void OnFrameArrived_ReenteringSlowDown_SignalsAgain()
    {
        var controller = Create();
        var entries = 0;
        for (var round = 0; round < 2; round++)
        {
            Arrive(controller);
            for (var i = 0; i < 29; i++)
            {
                entries += Arrive(controller).EnteredSlowDown ? 1 : 0;
            }

            Complete(controller);
            for (var i = 0; i < BackpressureController.WindowFrames; i++)
            {
                ProcessedFrame(controller);
            }

            Assert.Equal(BackpressureState.Normal, controller.State);
        }

        Assert.Equal(2, entries);
    }

    [Fact]
    public void OnFrameArrived_FewFramesInWindow_DoesNotJudgeTheRate()
    {
        var controller = Create();
        Arrive(controller);

        var second = Arrive(controller); // 1 of 2 dropped is not a 50% drop rate yet

        Assert.False(second.Accepted);
        Assert.Equal(BackpressureState.Normal, second.State);
    }

    [Fact]
    public void OnFrameArrived_ModerateDrops_EntersDroppingNotSlowDown()
    {
        var controller = Create();

        // Every fifth frame arrives while busy: 20% drop rate.
        for (var i = 0; i < 30; i++)
        {
            Arrive(controller);
            if (i % 5 == 0)
            {
                Arrive(controller);
            }

            Complete(controller);
            _time.Advance(FrameInterval);
        }

        Assert.Equal(BackpressureState.Dropping, controller.State);
    }

    [Fact]
    public void OnFrameArrived_LoneSessionWithACoreIdle_StartsASecondFrameAtOnceButNoThird()
    {
        var machine = new InferenceScheduler(2);
        var controller = Create();

        var first = Arrive(controller, machine);
        var second = Arrive(controller, machine);
        var third = Arrive(controller, machine);

        Assert.True(first.Slot!.IsReady);
        Assert.True(second.Slot!.IsReady);
        Assert.False(third.Accepted);
        Assert.Equal(2, machine.Load.FramesInWork);
    }

    [Fact]
    public void OnFrameArrived_EveryCoreHeldByOthers_OneFrameWaitsItsTurnAndTheRestAreDropped()
    {
        var machine = new InferenceScheduler(2);
        using var a = machine.Enqueue(InferencePriority.Interactive);
        using var b = machine.Enqueue(InferencePriority.Interactive);
        var controller = Create();

        var first = Arrive(controller, machine);
        var rest = Enumerable.Range(0, 5).Select(_ => Arrive(controller, machine)).ToList();

        Assert.True(first.Accepted);
        Assert.False(first.Slot!.IsReady); // in the queue: its turn comes when a core is released
        Assert.All(rest, r => Assert.False(r.Accepted));
        Assert.Equal(1, machine.Load.FramesWaiting);

        a.Dispose();
        Assert.True(first.Slot.IsReady);
    }

    [Fact]
    public void OnFrameArrived_FloodingSessionHoldsBothCores_NeighbourGetsTheNextCoreAndFloodGetsTheOneAfter()
    {
        var machine = new InferenceScheduler(2);
        var flooder = Create();
        var neighbour = new BackpressureController(0.10, 0.30, _time);
        var flood = Enumerable.Range(0, 50).Select(_ => flooder.OnFrameArrived(machine)).ToList();
        var waiting = neighbour.OnFrameArrived(machine);

        // One of the flooder's two frames finishes: the neighbour's frame gets that core, not the flood.
        flood[0].Slot!.Dispose();
        flooder.OnFrameCompleted();
        var floodWhileBothCoresBusy = flooder.OnFrameArrived(machine);

        // The other one finishes: the flooder's next frame is its one frame in work; a second finds no idle core.
        flood[1].Slot!.Dispose();
        flooder.OnFrameCompleted();
        var floodOwnTurn = flooder.OnFrameArrived(machine);
        var floodSecond = flooder.OnFrameArrived(machine);

        Assert.Equal(2, flood.Count(f => f.Accepted));
        Assert.True(waiting.Slot!.IsReady);
        Assert.False(floodWhileBothCoresBusy.Accepted);
        Assert.True(floodOwnTurn.Slot!.IsReady);
        Assert.False(floodSecond.Accepted);
        Assert.Equal(2, machine.Load.BusyThreads);
    }
}
