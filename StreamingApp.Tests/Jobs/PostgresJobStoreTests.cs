using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StreamingApp.Core.Jobs.Postgres;

namespace StreamingApp.Tests.Jobs;

/// <summary>The store contract on a real PostgreSQL server, each test in a database of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContractTests
{
    private readonly List<NpgsqlDataSource> _sources = [];
    private string _connectionString = null!;
    private PostgresJobChangeFeed? _feed;

    protected override async Task<(IJobStore Store, IJobChangeFeed Feed)> OpenAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        await MigrateAgainAsync();
        var source = Source();
        var store = new PostgresJobStore(source, Time);
        _feed = new PostgresJobChangeFeed(source, store, new JobChangeSubscribers(), TimeProvider.System, NullLogger<PostgresJobChangeFeed>.Instance);
        await _feed.StartAsync(default);
        return (store, _feed);
    }

    protected override Task<IJobStore> OpenAnotherAsync() => Task.FromResult<IJobStore>(new PostgresJobStore(Source(), Time));

    protected override Task<int> MigrateAgainAsync() => new PostgresJobSchema(Source()).MigrateAsync(default);

    protected override async Task<int[]> StartTogetherOnAnEmptyDatabaseAsync(int instances)
    {
        var fresh = await server.CreateDatabaseAsync();
        var versions = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => Task.Run(async () =>
        {
            await using var source = NpgsqlDataSource.Create(fresh);
            return await new PostgresJobSchema(source).MigrateAsync(default);
        })));
        await using var store = NpgsqlDataSource.Create(fresh);
        var job = await new PostgresJobStore(store, Time).CreateAsync(NewJob(), default);
        Assert.Equal(job, await new PostgresJobStore(store, Time).GetAsync(job.Id, null, default));
        return versions;
    }

    public override async Task DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.StopAsync(default);
            _feed.Dispose();
        }

        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    private NpgsqlDataSource Source()
    {
        var source = NpgsqlDataSource.Create(_connectionString);
        lock (_sources)
        {
            _sources.Add(source);
        }

        return source;
    }
}
