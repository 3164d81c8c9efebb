namespace StreamingApp.Tests.Inference;

public sealed class NativeRunGuardTests
{
    [Fact]
    public async Task Dispose_RunInFlight_ReleasesOnlyAfterTheRunEnds()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var guard = new NativeRunGuard(() => released.SetResult());
        var run = guard.Enter();

        var disposing = Task.Run(guard.Dispose);
        await Assert.ThrowsAsync<TimeoutException>(() => released.Task.WaitAsync(TimeSpan.FromMilliseconds(200)));
        run.Dispose();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(released.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public void Enter_AfterDispose_RefusedAndReleasedOnce()
    {
        var releases = 0;
        var guard = new NativeRunGuard(() => releases++);

        guard.Dispose();
        guard.Dispose();

        Assert.Throws<ObjectDisposedException>(() => guard.Enter());
        Assert.Equal(1, releases);
    }

    [Fact]
    public void Dispose_RunStuckPastTheTimeout_LeaksInsteadOfFreeingUnderIt()
    {
        var releases = 0;
        var guard = new NativeRunGuard(() => releases++, TimeSpan.FromMilliseconds(50));
        using var stuck = guard.Enter();

        guard.Dispose();

        Assert.Equal(0, releases);
    }
}
