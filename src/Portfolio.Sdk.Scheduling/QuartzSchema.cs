using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Quartz's own tables (排程資料表). Quartz does not create them unless told to; a DBA applies the script for the
/// database once (<c>schemas/sql/quartz.&lt;dialect&gt;.sql</c>, which is this output), or the application runs
/// <see cref="ApplyAsync"/> as a deployment step. The script only creates what is missing, so running it twice is safe.
/// </summary>
public static partial class QuartzSchema
{
    /// <summary>The default table prefix.</summary>
    public const string DefaultTablePrefix = "qrtz_";

    private const string Separator = "--;;"; // a line of its own between statements

    /// <summary>Gets the script for a dialect, with the prefix filled in.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <returns>The script.</returns>
    public static string Script(SqlDialect dialect, string tablePrefix = DefaultTablePrefix)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (!SqlDialect.IsValidIdentifier(tablePrefix.TrimEnd('_') + "x"))
        {
            throw new ArgumentException("A table prefix is letters, digits and underscores.", nameof(tablePrefix));
        }

        var resource = dialect.Name switch
        {
            "postgresql" => "create_postgres.sql",
            "sqlserver" => "create_sqlServer.sql",
            "oracle" => "create_oracle.sql",
            "mysql" => "create_mysql_innodb.sql",
            _ => "create_sqlite.sql",
        };
        var assembly = typeof(Quartz.IJob).Assembly;
        using var stream = assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema." + resource)
            ?? throw new InvalidOperationException($"Quartz {assembly.GetName().Version} carries no schema for {dialect.Name}.");
        using var reader = new StreamReader(stream);
        return string.Format(CultureInfo.InvariantCulture, reader.ReadToEnd().ReplaceLineEndings("\n"), tablePrefix, tablePrefix);
    }

    /// <summary>Gets the script's statements in order, as <see cref="ApplyAsync"/> sends them (comments only pieces left out).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <returns>The statements; each creates only what is missing.</returns>
    public static IReadOnlyList<string> Statements(SqlDialect dialect, string tablePrefix = DefaultTablePrefix) =>
        [.. ("\n" + Script(dialect, tablePrefix) + "\n").Split("\n" + Separator + "\n")
            .Select(s => s.Trim())
            .Where(s => s.Split('\n').Any(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)))];

    /// <summary>Gets the tables the script creates, in order.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <returns>The table names, with the prefix.</returns>
    public static IReadOnlyList<string> Tables(SqlDialect dialect, string tablePrefix = DefaultTablePrefix) =>
        [.. Statements(dialect, tablePrefix).SelectMany(s => CreateTable().Matches(s).Select(m => m.Groups["name"].Value)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Creates the tables, indexes and triggers that are missing, and then checks that every table is there. On
    /// PostgreSQL and SQLite the whole script runs in one transaction, so a process killed while applying it leaves
    /// nothing behind; elsewhere each statement creates only what is missing, so the next run completes a schema
    /// left half-made. Running it on a complete schema changes nothing; concurrent runs end with one schema.
    /// </summary>
    /// <param name="dataSource">The scheduler's database.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    /// <exception cref="DbException">A statement failed three times, or a table is still missing afterwards.</exception>
    public static async Task ApplyAsync(DbDataSource dataSource, SqlDialect dialect, string tablePrefix = DefaultTablePrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        var statements = Statements(dialect, tablePrefix);
        var transactional = dialect == SqlDialect.PostgreSql || dialect == SqlDialect.Sqlite;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            for (var attempt = 1; ; attempt++)
            {
                var transaction = transactional ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
                try
                {
                    foreach (var statement in statements)
                    {
                        await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                    }

                    if (transaction is not null)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }
                catch (DbException) when (attempt < 3)
                {
                    // Another process creating the same tables at the same moment (PostgreSQL's catalogue insert
                    // conflicts even under IF NOT EXISTS, SQLite is busy): undo and run the script again.
                    if (transaction is not null)
                    {
                        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (transaction is not null)
                    {
                        await transaction.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }

            // Re-checked on every run: selecting nothing from each table fails if one is missing.
            foreach (var table in Tables(dialect, tablePrefix))
            {
                await ExecuteAsync(connection, null, $"SELECT COUNT(*) FROM {table} WHERE 1 = 0", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"CREATE TABLE (?:IF NOT EXISTS )?(?<name>[A-Za-z0-9_.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CreateTable();
}
