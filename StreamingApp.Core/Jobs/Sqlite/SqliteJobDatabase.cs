using Microsoft.Data.Sqlite;

namespace StreamingApp.Core.Jobs.Sqlite;

/// <summary>
/// The SQLite file of the jobs (WAL mode: readers never wait for the writer, nor the writer for readers). A
/// connection opened <c>durable</c> commits with <c>synchronous = FULL</c> (the commit is on disk when it returns):
/// what a person was told happened — a job accepted, a job deleted. The queue's frequent writes (claims, renewals,
/// progress, checkpoints, completions) use <c>NORMAL</c>: safe against the process dying at any point; a power cut
/// may lose the last of them, which a takeover redoes (at most a checkpoint of frames). Measured on this disk:
/// 5.7 ms against 0.17 ms a commit.
/// </summary>
public sealed class SqliteJobDatabase
{
    private readonly string _connectionString;

    static SqliteJobDatabase() => SQLitePCL.Batteries_V2.Init();

    public SqliteJobDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement retries while another connection or process holds the write lock.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>A connection for reads and the queue's writes (<c>synchronous = NORMAL</c>).</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync("PRAGMA synchronous = NORMAL", cancellationToken);

    /// <summary>A connection whose commits are on disk when they return (<c>synchronous = FULL</c>).</summary>
    public Task<SqliteConnection> OpenDurableAsync(CancellationToken cancellationToken) => OpenAsync("PRAGMA synchronous = FULL", cancellationToken);

    private async Task<SqliteConnection> OpenAsync(string synchronous, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per connection, and a pooled connection keeps it: set it every time.
            await using var pragma = Command(connection, synchronous);
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
