using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StreamingApp.Core.Pipelines.Steps;

namespace StreamingApp.Core.Pipelines;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline catalog (configuration section <c>Pipelines</c>) and the built-in steps; the catalog is built when
    /// the host starts, so a bad pipeline file or model fails the start instead of the first frame. Needs <c>AddInference()</c>.
    /// </summary>
    public static IServiceCollection AddPipelines(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section);
        services.AddPipelineStep<ObjectsStep>();
        services.AddPipelineStep<TextStep>();
        services.TryAddSingleton<IPipelineCatalog, PipelineCatalog>();
        services.AddHostedService<PipelineCatalogLoader>();
        return services;
    }

    /// <summary>Makes a step kind available to pipeline files under its <see cref="IPipelineStepFactory.Name"/>.</summary>
    public static IServiceCollection AddPipelineStep<TFactory>(this IServiceCollection services)
        where TFactory : class, IPipelineStepFactory
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineStepFactory, TFactory>());
        return services;
    }

    /// <summary>Builds the catalog (models, sessions, definitions) at start.</summary>
    private sealed class PipelineCatalogLoader(IPipelineCatalog catalog) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(catalog.Definitions.Count);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
