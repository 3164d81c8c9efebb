using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamingApp.Core.Streaming;

public static class StreamingServiceCollectionExtensions
{
    /// <summary>
    /// The live stream: options and hard limits (validated at start), the connection limiter, the session registry,
    /// the connection handler and the memory give-back after a burst of handshakes. Needs an
    /// <c>IPipelineCatalog</c>, an <c>IJpegDecoder</c> and the <c>InferenceScheduler</c> (AddPipelines / AddInference) and <see cref="TelemetryServiceCollectionExtensions.AddTelemetry"/>.
    /// </summary>
    public static IServiceCollection AddStreaming(this IServiceCollection services)
    {
        // Bound from the configuration root: the keys are the environment variable names (STREAM_*).
        services.AddOptions<StreamOptions>()
            .Configure<IConfiguration>(static (options, configuration) => configuration.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamOptions>, StreamOptionsValidator>());
        services.AddOptions<StreamLimitOptions>().BindConfiguration(StreamLimitOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamLimitOptions>, StreamLimitOptionsValidator>());
        services.TryAddSingleton<StreamConnectionLimiter>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SessionRegistry>();
        services.TryAddSingleton<StreamConnectionHandler>();
        services.AddHostedService<StreamMemoryReclaimer>();
        return services;
    }
}
