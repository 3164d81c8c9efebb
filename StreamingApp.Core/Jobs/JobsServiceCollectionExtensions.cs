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
    /// Upload jobs: options (section <c>Jobs</c>), data folder, SQLite store, video decoder and the worker.
    /// Needs an <see cref="IPipelineCatalog"/> (AddPipelines) and the <see cref="InferenceScheduler"/> it shares with
    /// live streams (AddInference), and <c>AddTelemetry()</c> for its metrics.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
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
        services.AddSingleton<JobProcessor>();
        services.AddHostedService<JobWorker>();
        return services;
    }
}
