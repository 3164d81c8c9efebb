using Microsoft.Extensions.Hosting;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// Migrates the job store's schema before anything starts (<see cref="IHostedLifecycleService.StartingAsync"/> runs
/// before every hosted service's start, the web server's included), so no request and no worker meets an old schema.
/// </summary>
internal sealed class JobStoreStartup(IJobSchema schema, IOptions<JobOptions> options, ILogger<JobStoreStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var version = await schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        JobsLog.StoreReady(logger, options.Value.Store, version, options.Value.InstanceName);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
