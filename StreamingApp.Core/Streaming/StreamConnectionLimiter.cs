using System.Net;
using Microsoft.Extensions.Hosting;
using StreamingApp.Core.Networking;

namespace StreamingApp.Core.Streaming;

/// <summary>Why a stream handshake was refused: each is a 503 with this code.</summary>
public enum StreamRefusal
{
    None,

    /// <summary><see cref="StreamLimitOptions.MaxConnections"/> reached.</summary>
    TooManyConnections,

    /// <summary><see cref="StreamLimitOptions.MaxConnectionsPerClient"/> reached for this client.</summary>
    TooManyConnectionsFromClient,

    /// <summary>The process is stopping.</summary>
    ShuttingDown,
}

public static class StreamRefusals
{
    /// <summary>The <c>error</c> code of the 503 answer and the metric's <c>reason</c>.</summary>
    public static string ToWire(this StreamRefusal refusal) => refusal switch
    {
        StreamRefusal.TooManyConnections => "too_many_connections",
        StreamRefusal.TooManyConnectionsFromClient => "too_many_connections_from_client",
        StreamRefusal.ShuttingDown => "shutting_down",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal."),
    };
}

/// <summary>
/// The hard caps on live stream connections: in total and per client address, checked at the handshake before
/// anything is allocated for the connection, so a refusal costs next to nothing and is never left waiting.
/// Handshakes are rare next to frames: one lock is plenty.
/// </summary>
public sealed class StreamConnectionLimiter
{
    private readonly object _lock = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly StreamLimitOptions _limits;
    private readonly StreamMetrics _metrics;
    private readonly CancellationToken _stopping;
    private int _total;
    private long _handshakes;

    public StreamConnectionLimiter(IOptions<StreamLimitOptions> limits, StreamMetrics metrics, IHostApplicationLifetime lifetime)
    {
        _limits = limits.Value;
        _metrics = metrics;
        _stopping = lifetime.ApplicationStopping;
    }

    public StreamLimitOptions Limits => _limits;

    /// <summary>Live admitted connections.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Handshakes seen since start, admitted or refused.</summary>
    public long Handshakes => Interlocked.Read(ref _handshakes);

    /// <summary>A lease to hold for the connection's life, or null and the reason it was refused.</summary>
    public IDisposable? TryAdmit(IPAddress? client, out StreamRefusal refusal)
    {
        var key = ClientAddress.Key(client);
        Interlocked.Increment(ref _handshakes);
        lock (_lock)
        {
            _perClient.TryGetValue(key, out var fromClient);
            refusal = _stopping.IsCancellationRequested ? StreamRefusal.ShuttingDown
                : _total >= _limits.MaxConnections ? StreamRefusal.TooManyConnections
                : fromClient >= _limits.MaxConnectionsPerClient ? StreamRefusal.TooManyConnectionsFromClient
                : StreamRefusal.None;
            if (refusal == StreamRefusal.None)
            {
                _total++;
                _perClient[key] = fromClient + 1;
            }
        }

        if (refusal != StreamRefusal.None)
        {
            _metrics.ConnectionRefused(refusal.ToWire());
            return null;
        }

        _metrics.ConnectionAdmitted();
        return new Lease(this, key);
    }

    private void Release(string key)
    {
        _metrics.ConnectionReleased();
        lock (_lock)
        {
            _total--;
            var left = _perClient[key] - 1;
            if (left == 0)
            {
                _perClient.Remove(key);
            }
            else
            {
                _perClient[key] = left;
            }
        }
    }

    private sealed class Lease(StreamConnectionLimiter owner, string key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(key);
            }
        }
    }
}
