namespace StreamingApp.Core.Jobs;

/// <summary>
/// Decides when a running job's progress is worth writing: whenever the whole percent rises, and at least every
/// <c>interval</c> while frames are being done — never for every frame of a long video.
/// </summary>
public sealed class JobProgress(int framesTotal, TimeSpan interval, TimeProvider time)
{
    private int _lastPercent;
    private int _lastFrames;
    private long _lastWrite = time.GetTimestamp();

    public int FramesTotal { get; } = framesTotal;

    /// <summary>Integer percent of <paramref name="framesDone"/>, kept below 100 until the job is really complete.</summary>
    public int Percent(int framesDone) =>
        FramesTotal <= 0 ? 0 : (int)Math.Min(99, (long)framesDone * 100 / FramesTotal);

    /// <summary>True when the caller should persist <paramref name="framesDone"/> now; the caller then persists.</summary>
    public bool ShouldWrite(int framesDone)
    {
        var percent = Percent(framesDone);
        if (framesDone == _lastFrames || (percent <= _lastPercent && time.GetElapsedTime(_lastWrite) < interval))
        {
            return false;
        }

        _lastPercent = percent;
        _lastFrames = framesDone;
        _lastWrite = time.GetTimestamp();
        return true;
    }
}
