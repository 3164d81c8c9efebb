namespace StreamingApp.Core.Jobs;

/// <summary>
/// A running job's results on their way to the store: progress at each whole percent (at least every
/// <c>ProgressInterval</c>, at most every <c>ProgressMinInterval</c>), the results and their totals committed every <c>CheckpointFrames</c> frames in one batch,
/// and the rest with the completion. Continues the totals of the checkpoints a takeover resumes after.
/// </summary>
internal sealed class JobResultWriter
{
    private readonly IJobStore _store;
    private readonly JobLease _lease;
    private readonly JobProgress _progress;
    private readonly int _checkpointFrames;
    private readonly List<JobFrameResult> _pending;
    private readonly Dictionary<string, int> _labels;
    private int _detections;

    public JobResultWriter(IJobStore store, JobClaim claim, int framesTotal, JobOptions options, TimeProvider time)
    {
        _store = store;
        _lease = claim.Lease;
        FramesDone = claim.ResumeAt;
        _progress = new JobProgress(framesTotal, options.ProgressInterval, options.ProgressMinInterval, time, FramesDone);
        _checkpointFrames = options.CheckpointFrames;
        _pending = new List<JobFrameResult>(Math.Min(_checkpointFrames, 4096));
        _labels = new Dictionary<string, int>(claim.Committed.Labels, StringComparer.Ordinal);
        _detections = claim.Committed.Detections;
    }

    /// <summary>Frames with a result, committed or not, since the job's first run.</summary>
    public int FramesDone { get; private set; }

    /// <exception cref="JobLeaseLostException">The job is no longer this worker's.</exception>
    public async Task AddAsync(ProcessedFrame frame, CancellationToken cancellationToken)
    {
        _pending.Add(frame.Stored);
        foreach (var detection in frame.Result.Detections)
        {
            _labels[detection.Label] = _labels.GetValueOrDefault(detection.Label) + 1;
            _detections++;
        }

        FramesDone++;
        if (_pending.Count >= _checkpointFrames)
        {
            await CheckpointAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_progress.ShouldWrite(FramesDone))
        {
            Held(await _store.UpdateProgressAsync(_lease, FramesDone, _progress.Percent(FramesDone), cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Commits the results not committed yet; a takeover resumes after them.</summary>
    /// <exception cref="JobLeaseLostException">The job is no longer this worker's.</exception>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        Held(await _store.CheckpointAsync(_lease, Snapshot(), cancellationToken).ConfigureAwait(false));
        _pending.Clear();
        _progress.Written(FramesDone);
    }

    /// <summary>Commits the last results with the completed status; returns the job's totals.</summary>
    /// <exception cref="JobLeaseLostException">The job is no longer this worker's.</exception>
    public async Task<JobSummary> CompleteAsync(CancellationToken cancellationToken)
    {
        var last = Snapshot();
        Held(await _store.CompleteAsync(_lease, last, cancellationToken).ConfigureAwait(false));
        _pending.Clear();
        return last.Summary;
    }

    private JobCheckpoint Snapshot() => new(
        [.. _pending],
        FramesDone,
        _progress.Percent(FramesDone),
        new JobSummary(FramesDone, _detections, new Dictionary<string, int>(_labels, StringComparer.Ordinal)));

    private static void Held(bool written)
    {
        if (!written)
        {
            throw new JobLeaseLostException();
        }
    }
}

/// <summary>A frame's result as the job stores it, and as the pipeline made it (for the totals).</summary>
internal readonly record struct ProcessedFrame(JobFrameResult Stored, FrameResult Result);

/// <summary>A store write was refused: the lease expired and another instance took the job, or the job was deleted.</summary>
internal sealed class JobLeaseLostException() : Exception("The job's lease is gone: it was deleted or taken over.");
