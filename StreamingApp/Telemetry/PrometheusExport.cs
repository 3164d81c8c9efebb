using System.Diagnostics.Metrics;
using Prometheus;

namespace StreamingApp.Telemetry;

/// <summary>
/// Exports this host's <see cref="IMeterFactory"/> instruments (the app's and ASP.NET Core's) and the process's standard
/// series (<see cref="DotNetStats"/>) into this host's own <see cref="CollectorRegistry"/>, served at <c>/metrics</c>.
/// Never prometheus-net's static default registry: several hosts in one process (the tests) must not see each other's series.
/// </summary>
internal sealed class PrometheusExport(CollectorRegistry registry, IMeterFactory meterFactory) : IHostedLifecycleService, IDisposable
{
    /// <summary>Bounds for instruments in seconds: from 1 ms (a decode) to 10 s (a stalled frame).</summary>
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private IDisposable? _adapter;

    /// <summary>Listening starts before any hosted service (the job worker, say) can record a measurement.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        DotNetStats.Register(registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory),
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? SecondsBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
            // A series unchanged this long is dropped (the adapter's lifetime management); 1 day is its maximum.
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _adapter?.Dispose();
}

public static class PrometheusExportExtensions
{
    /// <summary>The registry <c>/metrics</c> serves and the export that fills it (see <see cref="PrometheusExport"/>).</summary>
    public static IServiceCollection AddPrometheusExport(this IServiceCollection services)
    {
        services.AddSingleton(_ => Metrics.NewCustomRegistry());
        services.AddHostedService<PrometheusExport>();
        return services;
    }

    /// <summary><c>GET /metrics</c>: this host's registry in the Prometheus text format (OpenMetrics when asked for).</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        return endpoints.MapMetrics(settings => settings.Registry = registry);
    }
}
