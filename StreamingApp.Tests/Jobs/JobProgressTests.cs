using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Jobs;

public sealed class JobProgressTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void ShouldWrite_ManyFramesNoTimePassing_WritesOncePerPercent()
    {
        var progress = new JobProgress(1000, TimeSpan.FromSeconds(2), TimeSpan.Zero, _time);

        var writes = 0;
        for (var done = 1; done <= 1000; done++)
        {
            writes += progress.ShouldWrite(done) ? 1 : 0;
        }

        Assert.Equal(99, writes);
    }

    [Fact]
    public void ShouldWrite_SamePercentAfterInterval_Writes()
    {
        var progress = new JobProgress(100_000, TimeSpan.FromSeconds(2), TimeSpan.Zero, _time);

        var early = progress.ShouldWrite(10);
        _time.Advance(TimeSpan.FromSeconds(2));
        var late = progress.ShouldWrite(20);

        Assert.False(early);
        Assert.True(late);
    }

    [Fact]
    public void ShouldWrite_PercentRisingFasterThanTheMinimumInterval_WritesAtMostThatOften()
    {
        var progress = new JobProgress(1000, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250), _time);

        var writes = 0;
        for (var done = 1; done <= 1000; done++)
        {
            // 1,000 frames in one second.
            _time.Advance(TimeSpan.FromMilliseconds(1));
            writes += progress.ShouldWrite(done) ? 1 : 0;
        }

        Assert.Equal(4, writes);
    }

    [Fact]
    public void Percent_AllFramesDone_StaysBelow100UntilCompletion()
    {
        var progress = new JobProgress(8, TimeSpan.FromSeconds(2), TimeSpan.Zero, _time);

        Assert.Equal((12, 99, 99), (progress.Percent(1), progress.Percent(8), progress.Percent(9)));
    }

    [Theory]
    [InlineData(40, 1, null, 40)]
    [InlineData(40, 3, null, 14)]
    [InlineData(40, 5, 3, 3)]
    public void FramesToProcess_StrideAndMax_CountsSelectedFrames(int frames, int stride, int? max, int expected) =>
        Assert.Equal(expected, JobProcessor.FramesToProcess(frames, stride, max));
}
