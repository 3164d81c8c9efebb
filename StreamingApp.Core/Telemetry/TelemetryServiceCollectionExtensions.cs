using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamingApp.Core.Telemetry.Prometheus;

namespace StreamingApp.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The app's instruments and the Prometheus collector that exports them (IMeterFactory comes from the host).</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<StreamMetrics>();
        services.TryAddSingleton<JobMetrics>();
        services.TryAddSingleton<ProcessMetrics>();
        services.TryAddSingleton<InferenceMetrics>();
        services.TryAddSingleton<PrometheusCollector>();
        return services;
    }
}
