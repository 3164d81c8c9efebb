using System.Diagnostics;
using Npgsql;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// A throw-away PostgreSQL cluster (Debian's <c>postgresql</c>: <c>initdb</c> + <c>pg_ctl</c>) in a temp folder,
/// reached only through a unix socket in that folder — no TCP port to collide with anything. As root the server runs
/// as the <c>postgres</c> user (<c>runuser</c>), as PostgreSQL refuses root. Shared by the tests of
/// <see cref="PostgresCollection"/>; each test takes a fresh database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The port only names the socket file (<c>.s.PGSQL.5432</c>): nothing listens on TCP.</summary>
    private const int SocketPort = 5432;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "streamingapp-tests", "pg-" + Guid.NewGuid().ToString("N")[..12]);

    private string DataDirectory => Path.Combine(_root, "data");

    private string SocketDirectory => Path.Combine(_root, "sock");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        if (RunsAsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        }

        await RunAsync(Tool("initdb"), ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        // fsync off: a test cluster's data need not survive a power cut, and tests run faster without the flushes.
        await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
            $"-c listen_addresses='' -k {SocketDirectory} -p {SocketPort} -c fsync=off -c synchronous_commit=off -c max_connections=300", "start"]);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The connection string of a new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = SocketPort,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    private static bool RunsAsRoot => Environment.UserName == "root";

    /// <summary>Debian keeps the server tools in /usr/lib/postgresql/&lt;version&gt;/bin, off the PATH: take the newest.</summary>
    private static string Tool(string name)
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var found = versions
            .Select(dir => Path.Combine(dir, "bin", name))
            .Where(File.Exists)
            .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : 0)
            .FirstOrDefault();
        return found ?? name;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> args, bool asPostgres = true)
    {
        var info = new ProcessStartInfo(asPostgres && RunsAsRoot ? "runuser" : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && RunsAsRoot)
        {
            foreach (var arg in (string[])["-u", "postgres", "--", fileName])
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}

/// <summary>The tests that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
