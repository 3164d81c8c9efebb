using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace StreamingApp.Core.Jobs.Postgres;

/// <summary>
/// Job changes from every instance: LISTENs on the channel the schema's trigger notifies at each commit, reads each
/// changed job once and hands it to this process's subscribers. After a lost connection it reconnects and publishes
/// <see cref="JobChangeKind.Missed"/>, for subscribers to reload what they show.
/// </summary>
public sealed class PostgresJobChangeFeed(
    NpgsqlDataSource dataSource,
    IJobStore store,
    JobChangeSubscribers subscribers,
    TimeProvider time,
    ILogger<PostgresJobChangeFeed> logger) : BackgroundService, IJobChangeFeed
{
    /// <summary>The channel named in the trigger of <c>Migrations/Postgres/0001_init.sql</c>.</summary>
    public const string Channel = "streamingapp_jobs";

    /// <summary>How long the connection may be silent before a round trip checks it is still alive.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    // Unbounded but coalesced by the reader: each notice is a few bytes and is drained as fast as jobs can be read.
    private readonly Channel<string> _changed = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IDisposable Subscribe(Action<JobChange> onChange) => subscribers.Subscribe(onChange);

    /// <summary>Completes once the first LISTEN is in place: from then on no change is missed.</summary>
    public Task Listening => _listening.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        // Start only once listening, so a job submitted right after start is never missed by the workers here.
        await Listening.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = ReadChangedJobsAsync(stoppingToken);
        var connected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connected, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
            {
                JobsLog.FeedDisconnected(logger, ex);
                await Task.Delay(ReconnectDelay, time, stoppingToken).ConfigureAwait(false);
            }

            connected = true;
        }

        _changed.Writer.TryComplete();
        await reader.ConfigureAwait(false);
    }

    private async Task ListenAsync(bool reconnecting, CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        JobsLog.FeedListening(logger);
        _listening.TrySetResult();
        if (reconnecting)
        {
            subscribers.Publish(JobChange.Missed);
        }

        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken).ConfigureAwait(false))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        var root = payload.RootElement;
        var id = root.GetProperty("id").GetString()!;
        if (root.GetProperty("deleted").GetBoolean())
        {
            var owner = root.GetProperty("owner").GetString();
            subscribers.Publish(new JobChange(JobChangeKind.Deleted, id, owner, null));
        }
        else
        {
            _changed.Writer.TryWrite(id);
        }
    }

    /// <summary>
    /// Reads each changed job once per burst (many notices of one job become one read of its latest state) and
    /// publishes the jobs in the order their first notice arrived, which is commit order.
    /// </summary>
    private async Task ReadChangedJobsAsync(CancellationToken stoppingToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var burst = new List<string>();
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                seen.Clear();
                burst.Clear();
                while (_changed.Reader.TryRead(out var id))
                {
                    if (seen.Add(id))
                    {
                        burst.Add(id);
                    }
                }

                foreach (var id in burst)
                {
                    await PublishAsync(id, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PublishAsync(string id, CancellationToken stoppingToken)
    {
        try
        {
            // Null when deleted since: its own notice says so.
            if (await store.GetAsync(id, owner: null, stoppingToken).ConfigureAwait(false) is { } job)
            {
                subscribers.Publish(JobChange.Of(job));
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            JobsLog.FeedDisconnected(logger, ex);
            subscribers.Publish(JobChange.Missed);
        }
    }
}
