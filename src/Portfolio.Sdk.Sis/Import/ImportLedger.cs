using System.Collections.Concurrent;
using System.Data.Common;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Sis.Import;

/// <summary>
/// Remembers which rows were imported (匯入紀錄), by fingerprint, so that importing the same file again imports
/// nothing twice.
/// </summary>
public interface IImportLedger
{
    /// <summary>Gets whether a row was imported before.</summary>
    /// <param name="scope">What was imported, e.g. the sheet identifier.</param>
    /// <param name="fingerprint">The row's fingerprint.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns><see langword="true"/> when the row was recorded before.</returns>
    ValueTask<bool> ContainsAsync(string scope, string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Records a row as imported; recording it twice is harmless.</summary>
    /// <param name="scope">What was imported.</param>
    /// <param name="fingerprint">The row's fingerprint.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask AddAsync(string scope, string fingerprint, CancellationToken cancellationToken = default);
}

/// <summary>An <see cref="IImportLedger"/> in memory, for one process (tests, one-off tools).</summary>
public sealed class InMemoryImportLedger : IImportLedger
{
    private readonly ConcurrentDictionary<(string, string), bool> _seen = new();

    /// <inheritdoc />
    public ValueTask<bool> ContainsAsync(string scope, string fingerprint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_seen.ContainsKey((scope, fingerprint)));

    /// <inheritdoc />
    public ValueTask AddAsync(string scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        _seen.TryAdd((scope, fingerprint), true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A durable <see cref="IImportLedger"/> in a table of the caller's database (<c>portfolio_import_ledger</c>), through
/// any <see cref="DbDataSource"/>. Call <see cref="EnsureCreatedAsync"/> once, or create the table with the same SQL.
/// </summary>
public sealed class DbImportLedger : IImportLedger
{
    /// <summary>The ledger table's name.</summary>
    public const string TableName = "portfolio_import_ledger";

    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;

    /// <summary>Initializes a ledger.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="dialect">Its dialect.</param>
    public DbImportLedger(DbDataSource dataSource, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
    }

    /// <summary>Gets the SQL that creates the ledger table in this dialect.</summary>
    public string CreateTableSql =>
        $"CREATE TABLE {_dialect.QuoteIdentifier(TableName)} ({_dialect.QuoteIdentifier("scope")} VARCHAR(100) NOT NULL, {_dialect.QuoteIdentifier("fingerprint")} CHAR(64) NOT NULL, PRIMARY KEY ({_dialect.QuoteIdentifier("scope")}, {_dialect.QuoteIdentifier("fingerprint")})){_dialect.TableOptions}";

    /// <summary>Creates the ledger table unless it exists.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        // One statement creates the table with its key, so a kill leaves all or nothing; a concurrent start that created
        // it first is not an error (the table is re-checked).
        var probe = $"SELECT 1 FROM {_dialect.QuoteIdentifier(TableName)} WHERE 1 = 0";
        try
        {
            await ExecuteAsync(probe, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (DbException)
        {
            // Not there yet.
        }

        try
        {
            await ExecuteAsync(CreateTableSql, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            await ExecuteAsync(probe, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(string scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, $"SELECT COUNT(*) FROM {_dialect.QuoteIdentifier(TableName)} WHERE {_dialect.QuoteIdentifier("scope")} = {_dialect.ParameterMarker(0)} AND {_dialect.QuoteIdentifier("fingerprint")} = {_dialect.ParameterMarker(1)}", scope, fingerprint);
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask AddAsync(string scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync($"INSERT INTO {_dialect.QuoteIdentifier(TableName)} ({_dialect.QuoteIdentifier("scope")}, {_dialect.QuoteIdentifier("fingerprint")}) VALUES ({_dialect.ParameterMarker(0)}, {_dialect.ParameterMarker(1)})", [scope, fingerprint], cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Recorded by someone else in the meantime (a key violation): the row is imported, which is all that
            // matters. Anything else is a real failure.
            if (!await ContainsAsync(scope, fingerprint, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private DbCommand Command(DbConnection connection, string sql, params object[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = _dialect.ParameterName(i);
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private async Task ExecuteAsync(string sql, object[]? values, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, values ?? []);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
