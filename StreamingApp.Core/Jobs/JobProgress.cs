namespace StreamingApp.Core.Jobs;

/// <summary>
/// Decides when a running job's progress is worth writing: whenever the whole percent rises, and at least every
/// <c>interval</c> while frames are being done — but never more often than every <c>minInterval</c>, so a short,
/// fast job does not write a hundred times a second.
/// </summary>
public sealed class JobProgress(int framesTotal, TimeSpan interval, TimeSpan minInterval, TimeProvider time, int framesDone = 0)
{
    private int _lastPercent = WhileRunning(framesTotal <= 0 ? 0 : (int)((long)framesDone * 100 / framesTotal));
    private int _lastFrames = framesDone;
    private long _lastWrite = time.GetTimestamp();

    public int FramesTotal { get; } = framesTotal;

    /// <summary>A running job's percent: 100 only once it is really complete.</summary>
    public static int WhileRunning(int percent) => Math.Clamp(percent, 0, 99);

    /// <summary>Integer percent of <paramref name="framesDone"/>, kept below 100 until the job is really complete.</summary>
    public int Percent(int framesDone) =>
        FramesTotal <= 0 ? 0 : WhileRunning((int)((long)framesDone * 100 / FramesTotal));

    /// <summary>True when the caller should persist <paramref name="framesDone"/> now; the caller then persists.</summary>
    public bool ShouldWrite(int framesDone)
    {
        var percent = Percent(framesDone);
        var elapsed = time.GetElapsedTime(_lastWrite);
        if (framesDone == _lastFrames || elapsed < minInterval || (percent <= _lastPercent && elapsed < interval))
        {
            return false;
        }

        Written(framesDone);
        return true;
    }

    /// <summary>Progress was persisted another way (a checkpoint): the next write is due from here.</summary>
    public void Written(int framesDone)
    {
        _lastPercent = Percent(framesDone);
        _lastFrames = framesDone;
        _lastWrite = time.GetTimestamp();
    }
}
