namespace StreamingApp.Core.Streaming;

/// <summary>
/// Tells when a burst of stream handshakes is over: at least <c>burst</c> handshakes since the last burst ended (or
/// since start), then none for <c>quiet</c>. Fed the limiter's running handshake count once a tick; answers true
/// once per burst, with the burst's size.
/// </summary>
public sealed class HandshakeBurstWatch(int burst, TimeSpan quiet, TimeProvider time)
{
    private readonly int _burst = burst >= 1 ? burst : throw new ArgumentOutOfRangeException(nameof(burst), burst, "A burst is at least one handshake.");
    private long _atLastBurstEnd;
    private long _lastSeen;
    private long _lastChangeTimestamp = time.GetTimestamp();

    public bool IsBurstOver(long handshakes, out long burstHandshakes)
    {
        burstHandshakes = 0;
        if (handshakes != _lastSeen)
        {
            _lastSeen = handshakes;
            _lastChangeTimestamp = time.GetTimestamp();
            return false;
        }

        var inBurst = handshakes - _atLastBurstEnd;
        if (inBurst < _burst || time.GetElapsedTime(_lastChangeTimestamp) < quiet)
        {
            return false;
        }

        _atLastBurstEnd = handshakes;
        burstHandshakes = inBurst;
        return true;
    }
}
