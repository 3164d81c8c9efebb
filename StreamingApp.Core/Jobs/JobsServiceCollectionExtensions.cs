using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StreamingApp.Core.Jobs.Postgres;
using StreamingApp.Core.Jobs.Sqlite;

namespace StreamingApp.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The connection string (<c>ConnectionStrings:Jobs</c>) of the PostgreSQL store.</summary>
    public const string ConnectionStringName = "Jobs";

    /// <summary>
    /// Upload jobs: options (section <c>Jobs</c>), data folder, the store chosen by <c>Jobs:Store</c> with its schema
    /// and change feed, deletion, the video decoder, the worker and housekeeping. Needs an <see cref="IPipelineCatalog"/>
    /// (AddPipelines), the <see cref="InferenceScheduler"/> it shares with live streams (AddInference), and
    /// <c>AddTelemetry()</c> for its metrics. The host may register its own <see cref="IJobOwnerResolver"/> first.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (options, configuration) => options.Store != JobStoreKind.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)),
                $"Jobs:Store is 'postgres' but ConnectionStrings:{ConnectionStringName} is empty.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobOwnerResolver, ClaimsJobOwnerResolver>();
        services.AddSingleton<JobChangeSubscribers>();
        services.AddSingleton(sp => new JobDataFolder(Path.Combine(
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<JobOptions>>().Value.DataDirectory)));
        services.AddSingleton<IJobStore>(sp => Options(sp).Store == JobStoreKind.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresJobStore>(sp)
            : ActivatorUtilities.CreateInstance<SqliteJobStore>(sp));
        services.AddSingleton<IJobSchema>(sp => Options(sp).Store == JobStoreKind.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresJobSchema>(sp)
            : ActivatorUtilities.CreateInstance<SqliteJobSchema>(sp));
        services.AddSingleton(sp => new SqliteJobDatabase(sp.GetRequiredService<JobDataFolder>().DatabasePath));
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)!));
        services.AddSingleton<PostgresJobChangeFeed>();
        services.AddSingleton<IJobChangeFeed>(sp => Options(sp).Store == JobStoreKind.Postgres
            ? sp.GetRequiredService<PostgresJobChangeFeed>()
            : sp.GetRequiredService<JobChangeSubscribers>());
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            // Twice the submit limit: ffmpeg counts padded rows, so the exact limit would refuse some videos that
            // passed the (exact) submit check; what it guards against is a stream growing far past its probed size.
            return new FfmpegVideoDecoder(options.FfmpegPath, options.FfprobePath, 2 * options.MaxVideoPixels);
        });
        services.AddSingleton<JobDeletion>();
        services.AddSingleton<JobProcessor>();
        // In start order: the schema first (before anything starts), then the feed, then who uses them.
        services.AddHostedService<JobStoreStartup>();
        services.AddSingleton<IHostedService>(sp => Options(sp).Store == JobStoreKind.Postgres
            ? sp.GetRequiredService<PostgresJobChangeFeed>()
            : NoService.Instance);
        services.AddHostedService<JobWorker>();
        services.AddHostedService<JobHousekeeping>();
        return services;
    }

    private static JobOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<JobOptions>>().Value;

    /// <summary>Takes the feed's place among the hosted services when the store needs no feed of its own.</summary>
    private sealed class NoService : IHostedService
    {
        public static readonly NoService Instance = new();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
