using StreamingApp.Core.Telemetry;
using StreamingApp.Core.Telemetry.Prometheus;

namespace StreamingApp.Endpoints;

public static class MetricsEndpoints
{
    /// <summary><c>GET /metrics</c>: every instrument of this app in the Prometheus text format 0.0.4.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        // Created now, not on the first scrape: the collector must listen before the first measurement,
        // and the process and inference gauges exist only once constructed.
        endpoints.ServiceProvider.GetRequiredService<PrometheusCollector>();
        endpoints.ServiceProvider.GetRequiredService<ProcessMetrics>();
        endpoints.ServiceProvider.GetRequiredService<InferenceMetrics>();
        return endpoints.MapGet("/metrics", static (PrometheusCollector collector) =>
            TypedResults.Text(collector.Scrape(), PrometheusCollector.ContentType));
    }
}
