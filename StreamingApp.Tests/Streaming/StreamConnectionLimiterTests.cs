using Microsoft.Extensions.Hosting;
using Moq;
using StreamingApp.Core.Telemetry;

namespace StreamingApp.Tests.Streaming;

public sealed class StreamConnectionLimiterTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose()
    {
        _meters.Dispose();
        _stopping.Dispose();
    }

    private StreamConnectionLimiter Create(int max, int perClient)
    {
        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.Setup(l => l.ApplicationStopping).Returns(_stopping.Token);
        return new StreamConnectionLimiter(
            Options.Create(new StreamLimitOptions { MaxConnections = max, MaxConnectionsPerClient = perClient }),
            new StreamMetrics(_meters), lifetime.Object);
    }

    [Fact]
    public void TryAdmit_PerClientLimit_OnlyThatClientRefused()
    {
        var limiter = Create(max: 10, perClient: 2);
        var a = IPAddress.Parse("10.0.0.1");

        Assert.NotNull(limiter.TryAdmit(a, out _));
        Assert.NotNull(limiter.TryAdmit(a, out _));
        var third = limiter.TryAdmit(a, out var refusal);
        var other = limiter.TryAdmit(IPAddress.Parse("10.0.0.2"), out _);

        Assert.Null(third);
        Assert.Equal(StreamRefusal.TooManyConnectionsFromClient, refusal);
        Assert.NotNull(other);
        Assert.Equal(3, limiter.Count);
    }

    [Fact]
    public void TryAdmit_TotalLimit_EveryoneRefusedUntilOneLeaves()
    {
        var limiter = Create(max: 3, perClient: 3);
        var leases = Enumerable.Range(1, 3).Select(i => limiter.TryAdmit(IPAddress.Parse($"10.0.0.{i}"), out _)).ToList();

        var refused = limiter.TryAdmit(IPAddress.Parse("10.0.0.9"), out var refusal);
        leases[0]!.Dispose();
        leases[0]!.Dispose(); // twice: released once
        var admitted = limiter.TryAdmit(IPAddress.Parse("10.0.0.9"), out _);

        Assert.Null(refused);
        Assert.Equal(StreamRefusal.TooManyConnections, refusal);
        Assert.NotNull(admitted);
        Assert.Equal(3, limiter.Count);
    }

    [Fact]
    public void TryAdmit_Stopping_Refused()
    {
        var limiter = Create(max: 3, perClient: 3);

        _stopping.Cancel();
        var lease = limiter.TryAdmit(IPAddress.Loopback, out var refusal);

        Assert.Null(lease);
        Assert.Equal(StreamRefusal.ShuttingDown, refusal);
        Assert.Equal("shutting_down", refusal.ToWire());
    }

    [Fact]
    public void TryAdmit_Released_ClientCanComeBack()
    {
        var limiter = Create(max: 3, perClient: 1);
        var first = limiter.TryAdmit(IPAddress.Loopback, out _);

        first!.Dispose();
        var again = limiter.TryAdmit(IPAddress.Loopback, out _);

        Assert.NotNull(again);
        Assert.Equal(1, limiter.Count);
    }
}
