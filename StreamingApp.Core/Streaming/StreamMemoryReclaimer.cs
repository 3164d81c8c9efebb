using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// Gives back the memory a burst of stream handshakes left behind. A storm of connections makes the GC and the
/// native allocator commit tens of MB for short-lived per-connection objects; nothing is live afterwards, but an idle
/// server runs no collection, so that memory stays resident indefinitely. Once a burst is over
/// (<see cref="HandshakeBurstWatch"/>, <c>Stream:MemoryReclaim*</c>), one blocking compacting collection in aggressive
/// mode decommits the free GC regions, and glibc's <c>malloc_trim</c> returns the malloc arenas' free pages.
/// </summary>
public sealed partial class StreamMemoryReclaimer(
    StreamConnectionLimiter limiter, IOptions<StreamLimitOptions> limits, TimeProvider time, ILogger<StreamMemoryReclaimer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = limits.Value;
        if (options.MemoryReclaimHandshakes == 0)
        {
            return;
        }

        var watch = new HandshakeBurstWatch(options.MemoryReclaimHandshakes, options.MemoryReclaimQuiet, time);
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (watch.IsBurstOver(limiter.Handshakes, out var burst))
                {
                    GiveBack(burst);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void GiveBack(long handshakes)
    {
        var before = Environment.WorkingSet;
        var started = time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var trimmed = TrimNativeHeap();
        StreamLog.MemoryGivenBack(logger, handshakes, before, Environment.WorkingSet, trimmed, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>glibc's <c>malloc_trim(0)</c>; false where there is no glibc (another OS, musl).</summary>
    private static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
