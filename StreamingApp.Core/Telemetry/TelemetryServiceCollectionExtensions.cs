using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace StreamingApp.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The app's instruments (IMeterFactory comes from the host, which also exports them). Needs the inference
    /// scheduler (<c>AddInference()</c>), whose load is read when scraped.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<StreamMetrics>();
        services.TryAddSingleton<JobMetrics>();
        services.TryAddSingleton<InferenceMetrics>();
        services.AddHostedService<ObservedInstruments>();
        return services;
    }

    /// <summary>Creates at start the instruments that are only read when scraped, so they exist before the first scrape.</summary>
    private sealed class ObservedInstruments(InferenceMetrics inference) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(inference);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
