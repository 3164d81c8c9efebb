using System.Collections.Concurrent;

namespace StreamingApp.Core.Streaming;

/// <summary>
/// The live stream sessions of this process. Gives counts to metrics and logs. Above
/// <see cref="StreamOptions.MaxSessions"/> a session is still opened (the limit is a recommendation),
/// but a warning is logged and counted.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<Guid, StreamSession> _sessions = new();
    private readonly StreamOptions _options;
    private readonly StreamMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionRegistry> _logger;

    public SessionRegistry(IOptions<StreamOptions> options, StreamMetrics metrics, TimeProvider time, ILogger<SessionRegistry> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public int ActiveCount => _sessions.Count;

    /// <summary>A copy of the live sessions (for diagnostics, not the hot path).</summary>
    public StreamSession[] Snapshot() => [.. _sessions.Values];

    public bool TryGet(Guid sessionId, out StreamSession? session) => _sessions.TryGetValue(sessionId, out session);

    public StreamSession Open(string pipelineId, string? remoteAddress)
    {
        var session = new StreamSession(this, pipelineId, remoteAddress, _options, _time);
        _sessions[session.SessionId] = session;
        var active = _sessions.Count;
        _metrics.SessionOpened(pipelineId);
        if (active > _options.MaxSessions)
        {
            _metrics.SessionAboveRecommendedMaximum(pipelineId);
            _logger.SessionsAboveRecommendedMaximum(session.SessionId, active, _options.MaxSessions);
        }

        return session;
    }

    internal void Remove(StreamSession session)
    {
        if (_sessions.TryRemove(session.SessionId, out _))
        {
            _metrics.SessionClosed(session.PipelineId);
        }
    }
}
