namespace StreamingApp.Tests.Jobs;

/// <summary>
/// Base of the tests of several app instances on one job queue: each test gets a fresh PostgreSQL database and a data
/// folder that its instances share.
/// </summary>
public abstract class SharedQueueTests(PostgresServer server) : IAsyncLifetime
{
    protected TempDirectory Data { get; } = new();

    protected string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync() => ConnectionString = await server.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Data.Dispose();
        return Task.CompletedTask;
    }
}
