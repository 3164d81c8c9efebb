using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Upload jobs: options (section <c>Jobs</c>), data folder, SQLite store, video decoder, the worker, and the
    /// process-wide inference scheduler if no one registered it yet (jobs share it with live streams).
    /// Needs an <see cref="IPipelineCatalog"/> (AddPipelines).
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IInferenceScheduler>(static _ => new InferenceScheduler(Environment.ProcessorCount));
        services.AddSingleton<JobChangeNotifier>();
        services.AddSingleton(sp => new JobDataFolder(Path.Combine(
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<JobOptions>>().Value.DataDirectory)));
        services.AddSingleton(sp => new JobStore(
            sp.GetRequiredService<JobDataFolder>().DatabasePath,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<JobChangeNotifier>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            return new FfmpegVideoDecoder(options.FfmpegPath, options.FfprobePath);
        });
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobProcessor>();
        services.AddHostedService<JobWorker>();
        return services;
    }
}
