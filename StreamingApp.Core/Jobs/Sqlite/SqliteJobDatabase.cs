using Microsoft.Data.Sqlite;

namespace StreamingApp.Core.Jobs.Sqlite;

/// <summary>The SQLite file of the jobs (WAL mode: readers never wait for the writer, nor the writer for readers).</summary>
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

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
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
