namespace StreamingApp.Tests.Components.Jobs;

public sealed class CoalescedRefreshTests
{
    [Fact]
    public async Task Request_ManyWhileOneRuns_FoldIntoOneMoreRun()
    {
        var runs = 0;
        var gate = new TaskCompletionSource();
        var refresh = new CoalescedRefresh(async () =>
        {
            runs++;
            if (runs == 1)
            {
                await gate.Task;
            }
        });

        var first = refresh.RequestAsync();
        await Task.WhenAll(refresh.RequestAsync(), refresh.RequestAsync(), refresh.RequestAsync());
        gate.SetResult();
        await first;

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Request_OneAfterAnother_EachRuns()
    {
        var runs = 0;
        var refresh = new CoalescedRefresh(() =>
        {
            runs++;
            return Task.CompletedTask;
        });

        await refresh.RequestAsync();
        await refresh.RequestAsync();

        Assert.Equal(2, runs);
    }
}
