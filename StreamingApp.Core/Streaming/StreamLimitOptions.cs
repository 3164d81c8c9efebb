namespace StreamingApp.Core.Streaming;

/// <summary>
/// Section <c>Stream</c>: the hard limits that keep connections from exhausting the process. Unlike the advisory
/// <c>STREAM_MAX_SESSIONS</c>, these refuse or close.
/// </summary>
public sealed class StreamLimitOptions
{
    public const string Section = "Stream";

    /// <summary>Live stream connections at most; beyond it the handshake gets 503 at once.</summary>
    public int MaxConnections { get; set; } = 100;

    /// <summary>Live stream connections per client address (an IPv6 client: per /64); beyond it 503.</summary>
    public int MaxConnectionsPerClient { get; set; } = 16;

    /// <summary>A connection that sends no complete frame for this long is closed with 1001 <c>idle_timeout</c>.</summary>
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>A send that the client does not take within this long (it stopped reading) drops the connection.</summary>
    public int SendTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// After at least this many handshakes (admitted or refused) since the last time, once they have stopped for
    /// <see cref="MemoryReclaimQuietSeconds"/>, the process runs one full compacting collection and gives the memory
    /// the burst left behind back to the OS. 0 turns it off.
    /// </summary>
    public int MemoryReclaimHandshakes { get; set; } = 100;

    /// <summary>Seconds without a handshake after which a burst counts as over.</summary>
    public int MemoryReclaimQuietSeconds { get; set; } = 3;

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);

    public TimeSpan SendTimeout => TimeSpan.FromSeconds(SendTimeoutSeconds);

    public TimeSpan MemoryReclaimQuiet => TimeSpan.FromSeconds(MemoryReclaimQuietSeconds);
}
