namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not on this feed).
/// Timestamps are in ticks; timers are not supported because nothing under test uses them.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
