using System.Globalization;

namespace StreamingApp.Core.Jobs.Sqlite;

/// <summary>
/// Creates and migrates the SQLite schema with the embedded <c>Migrations/Sqlite</c> scripts, tracked by
/// <c>PRAGMA user_version</c>, in one <c>BEGIN IMMEDIATE</c> transaction: a second process starting at the same
/// time waits for it instead of migrating twice.
/// </summary>
public sealed class SqliteJobSchema(SqliteJobDatabase database) : IJobSchema
{
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = SqliteJobDatabase.Command(connection, "PRAGMA journal_mode = WAL"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = connection.BeginTransaction();
        int version;
        await using (var read = SqliteJobDatabase.Command(connection, "PRAGMA user_version", transaction))
        {
            version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        foreach (var (number, sql) in JobSchemaScripts.For(JobStoreKind.Sqlite))
        {
            if (number <= version)
            {
                continue;
            }

            await using (var apply = SqliteJobDatabase.Command(connection, sql, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // PRAGMA takes no parameters; the number comes from our own resource name.
            await using (var bump = SqliteJobDatabase.Command(connection, "PRAGMA user_version = " + number.ToString(CultureInfo.InvariantCulture), transaction))
            {
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            version = number;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return version;
    }
}
