using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Tests.Streaming;

public sealed class SessionRegistryTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly FakeTimeProvider _time = new();

    private SessionRegistry Create(int maxSessions = 10) => new(
        Options.Create(new StreamOptions { MaxSessions = maxSessions }),
        new StreamMetrics(_meters),
        _time,
        NullLogger<SessionRegistry>.Instance);

    [Fact]
    public void Open_NewSession_IsLiveWithAFreshState()
    {
        var registry = Create();

        using var session = registry.Open("yolo", "127.0.0.1");

        Assert.Equal(1, registry.ActiveCount);
        Assert.NotEqual(Guid.Empty, session.SessionId);
        Assert.Equal("yolo", session.PipelineId);
        Assert.Equal(0, session.FramesReceived);
        Assert.Equal(BackpressureState.Normal, session.BackpressureState);
        Assert.Null(session.LastProcessedAt);
        Assert.True(registry.TryGet(session.SessionId, out _));
    }

    [Fact]
    public void Dispose_Session_LeavesTheRegistryOnce()
    {
        var registry = Create();
        var session = registry.Open("yolo", null);
        using var other = registry.Open("yolo", null);

        session.Dispose();
        session.Dispose();

        Assert.Equal(1, registry.ActiveCount);
        Assert.False(registry.TryGet(session.SessionId, out _));
    }

    [Fact]
    public void Open_AboveRecommendedMaximum_StillOpensAndCounts()
    {
        using var aboveMaximum = new MetricCollector<long>(_meters, AppMeter.Name, "stream.sessions.above_maximum");
        using var active = new MetricCollector<long>(_meters, AppMeter.Name, "stream.sessions.active");
        var registry = Create(maxSessions: 1);

        using var first = registry.Open("yolo", null);
        using var second = registry.Open("yolo", null);

        Assert.Equal(2, registry.ActiveCount);
        var counted = Assert.Single(aboveMaximum.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal("yolo", counted.Tags["pipeline"]);
        Assert.Equal(2, active.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void NextFrameIndex_CountsFromZero()
    {
        using var session = Create().Open("yolo", null);

        Assert.Equal(0, session.NextFrameIndex());
        Assert.Equal(1, session.NextFrameIndex());
        Assert.Equal(2, session.FramesReceived);
    }

    [Fact]
    public void RecordProcessed_CountsAndKeepsLastProcessedTime()
    {
        using var session = Create().Open("yolo", null);
        Assert.Null(session.LastProcessedAt);

        for (var i = 0; i < 5; i++)
        {
            session.RecordProcessed();
        }

        Assert.Equal(_time.GetUtcNow(), session.LastProcessedAt);
        Assert.Equal(5, session.FramesProcessed);
    }

    public void Dispose() => _meters.Dispose();
}
