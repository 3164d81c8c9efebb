using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamingApp.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The app's instruments (IMeterFactory comes from the host, which also exports them).</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<StreamMetrics>();
        services.TryAddSingleton<JobMetrics>();
        return services;
    }
}
