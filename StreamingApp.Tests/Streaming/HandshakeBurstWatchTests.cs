using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Streaming;

public sealed class HandshakeBurstWatchTests
{
    private const int Burst = 100;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();

    private HandshakeBurstWatch Create(int burst = Burst) => new(burst, Quiet, _time);

    /// <summary>
    /// Ticks once a second for <paramref name="duration"/> with no new handshake; the size of the burst a tick said was
    /// over, or null when none did.
    /// </summary>
    private static long? QuietFor(HandshakeBurstWatch watch, FakeTimeProvider time, long handshakes, TimeSpan duration)
    {
        long? over = null;
        for (var waited = TimeSpan.Zero; waited < duration; waited += Tick)
        {
            time.Advance(Tick);
            if (watch.IsBurstOver(handshakes, out var burst))
            {
                over = burst;
            }
        }

        return over;
    }

    [Fact]
    public void IsBurstOver_BurstThenQuietForThePeriod_TrueOnceAtTheEndOfTheQuiet()
    {
        var watch = Create();
        Assert.False(watch.IsBurstOver(2_000, out _));

        Assert.Null(QuietFor(watch, _time, 2_000, Quiet - Tick));
        _time.Advance(Tick);
        Assert.True(watch.IsBurstOver(2_000, out var burst));
        Assert.Equal(2_000, burst);
        Assert.Null(QuietFor(watch, _time, 2_000, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsBurstOver_HandshakesKeepComing_FalseUntilTheyStop()
    {
        var watch = Create();
        var handshakes = 0L;
        for (var second = 0; second < 60; second++)
        {
            handshakes += 50;
            _time.Advance(Tick);
            Assert.False(watch.IsBurstOver(handshakes, out _));
        }

        Assert.Equal(handshakes, QuietFor(watch, _time, handshakes, Quiet));
    }

    [Fact]
    public void IsBurstOver_FewerHandshakesThanABurst_NeverOver()
    {
        var watch = Create();

        Assert.False(watch.IsBurstOver(Burst - 1, out _));

        Assert.Null(QuietFor(watch, _time, Burst - 1, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsBurstOver_SlowTrickleAddsUpToABurst_OverOnceQuiet()
    {
        // A burst counts handshakes since the last give-back, however slowly they came: their garbage adds up alike.
        var watch = Create();
        for (var i = 1; i <= Burst; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.False(watch.IsBurstOver(i, out _));
        }

        Assert.Equal(Burst, QuietFor(watch, _time, Burst, Quiet));
    }

    [Fact]
    public void IsBurstOver_SecondBurstAfterTheFirstWasOver_OverAgain()
    {
        var watch = Create();
        watch.IsBurstOver(2_000, out _);
        Assert.Equal(2_000, QuietFor(watch, _time, 2_000, Quiet));

        Assert.False(watch.IsBurstOver(2_000 + Burst - 1, out _));
        Assert.Null(QuietFor(watch, _time, 2_000 + Burst - 1, Quiet));
        Assert.False(watch.IsBurstOver(4_000, out _));
        // The second burst counts from the end of the first: 2,000 more handshakes, not 4,000.
        Assert.Equal(2_000, QuietFor(watch, _time, 4_000, Quiet));
    }

    [Fact]
    public void Constructor_BurstZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(burst: 0));
    }
}
