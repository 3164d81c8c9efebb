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
            // Twice the submit limit: ffmpeg counts padded rows, so the exact limit would refuse some videos that
            // passed the (exact) submit check; what it guards against is a stream growing far past its probed size.
            return new FfmpegVideoDecoder(options.FfmpegPath, options.FfprobePath, 2 * options.MaxVideoPixels);
        });
        services.AddSingleton<JobProcessor>();
        services.AddHostedService<JobWorker>();
        return services;
    }
}
