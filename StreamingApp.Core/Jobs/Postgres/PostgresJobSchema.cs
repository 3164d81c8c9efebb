using Npgsql;

namespace StreamingApp.Core.Jobs.Postgres;

/// <summary>
/// Creates and migrates the PostgreSQL schema with the embedded <c>Migrations/Postgres</c> scripts, each in its own
/// transaction and recorded in <c>jobs_schema_migrations</c>. Instances starting together queue on a session advisory
/// lock, so exactly one applies each script and the others find it applied.
/// </summary>
public sealed class PostgresJobSchema(NpgsqlDataSource dataSource) : IJobSchema
{
    /// <summary>The advisory lock's key: any number unique among the locks the database's users take ("SAJOBS" in ASCII).</summary>
    private const long MigrationLockKey = 0x53414A4F4253;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS jobs_schema_migrations (
                    version    integer     PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM jobs_schema_migrations", connection);
            var version = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            foreach (var (number, sql) in JobSchemaScripts.For(JobStoreKind.Postgres))
            {
                if (number > version)
                {
                    await ApplyAsync(connection, number, sql, cancellationToken).ConfigureAwait(false);
                    version = number;
                }
            }

            return version;
        }
        finally
        {
            // Also released when the connection closes; unlocking first hands the pooled connection back clean.
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, int number, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var apply = new NpgsqlCommand(sql, connection, transaction))
        {
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand("INSERT INTO jobs_schema_migrations (version) VALUES (@version)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", number);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
