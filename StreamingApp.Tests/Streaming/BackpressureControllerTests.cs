using Microsoft.Extensions.Time.Testing;
using StreamingApp.Core.Streaming;

namespace StreamingApp.Tests.Streaming;

public sealed class BackpressureControllerTests
{
    private static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(66); // 15 FPS

    private readonly FakeTimeProvider _time = new();

    private BackpressureController Create() => new(0.10, 0.30, _time);

    /// <summary>A frame that is processed before the next one arrives.</summary>
    private FrameAdmission ProcessedFrame(BackpressureController controller)
    {
        var admission = controller.OnFrameArrived();
        controller.OnFrameCompleted();
        _time.Advance(FrameInterval);
        return admission;
    }

    [Fact]
    public void OnFrameArrived_WhileAFrameIsInFlight_DropsIt()
    {
        var controller = Create();

        var first = controller.OnFrameArrived();
        var second = controller.OnFrameArrived();

        Assert.True(first.Accepted);
        Assert.False(second.Accepted);
    }

    [Fact]
    public void OnFrameArrived_AfterCompletion_AcceptsAgain()
    {
        var controller = Create();
        controller.OnFrameArrived();
        controller.OnFrameCompleted();

        var next = controller.OnFrameArrived();

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
        controller.OnFrameArrived(); // in flight for the whole burst

        var entries = 0;
        for (var i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            if (controller.OnFrameArrived().EnteredSlowDown)
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
        controller.OnFrameArrived();
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(FrameInterval);
            controller.OnFrameArrived();
        }

        controller.OnFrameCompleted();
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
        controller.OnFrameArrived();
        for (var i = 0; i < 20; i++)
        {
            controller.OnFrameArrived();
        }

        controller.OnFrameCompleted();

        _time.Advance(BackpressureController.WindowDuration + TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, controller.RecentDropRate());
    }

    [Fact]
    public void OnFrameArrived_RateBetweenExitAndEntryThresholds_KeepsSlowDown()
    {
        // Hysteresis: slow_down is left only when the rate falls to half its threshold (0.15).
        var controller = Create();
        controller.OnFrameArrived();
        for (var i = 0; i < 29; i++)
        {
            controller.OnFrameArrived();
        }

        controller.OnFrameCompleted();
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
            controller.OnFrameArrived();
            for (var i = 0; i < 29; i++)
            {
                entries += controller.OnFrameArrived().EnteredSlowDown ? 1 : 0;
            }

            controller.OnFrameCompleted();
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
        controller.OnFrameArrived();

        var second = controller.OnFrameArrived(); // 1 of 2 dropped is not a 50% drop rate yet

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
            controller.OnFrameArrived();
            if (i % 5 == 0)
            {
                controller.OnFrameArrived();
            }

            controller.OnFrameCompleted();
            _time.Advance(FrameInterval);
        }

        Assert.Equal(BackpressureState.Dropping, controller.State);
    }
}
