namespace StreamingApp.Core.Inference;

/// <summary>A snapshot of <see cref="InferenceScheduler"/> (metrics, logs and tests).</summary>
/// <param name="Cores">The bound: frames in work and busy threads never exceed it.</param>
/// <param name="FramesInWork">Frames admitted and not yet released (with their core or about to get it back).</param>
/// <param name="FramesWaiting">Frames queued for a turn.</param>
/// <param name="BusyThreads">Cores held by frames plus cores lent to model runs.</param>
/// <param name="PeakBusyThreads">The most <see cref="BusyThreads"/> ever seen.</param>
/// <param name="BusyThreadSeconds">Busy threads integrated over time: its rate is the mean number of busy threads.</param>
public sealed record InferenceLoad(
    int Cores, int FramesInWork, int FramesWaiting, int BusyThreads, int PeakBusyThreads, double BusyThreadSeconds);
