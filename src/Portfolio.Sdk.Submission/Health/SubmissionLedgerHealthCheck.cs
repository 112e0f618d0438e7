using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Submission.Health;

/// <summary>
/// Checks the submission ledger (送件紀錄) database: opens a connection and reads nothing from each ledger table
/// (<see cref="SubmissionLedgerSchema"/>), so a missing table or a refused login shows before the first send.
/// The report names the tables, never data or connection strings.
/// </summary>
public sealed class SubmissionLedgerHealthCheck : IHealthCheck
{
    private static readonly string[] Tables = [SubmissionLedgerSchema.SubmissionTable, SubmissionLedgerSchema.ReceiptRowTable, SubmissionLedgerSchema.ConfirmationTable, SubmissionLedgerSchema.ConfirmationWindowTable, SubmissionLedgerSchema.ReceiptAnswerTable, SubmissionLedgerSchema.ReceiptAuditTable];

    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;

    /// <summary>Initializes the check.</summary>
    /// <param name="dataSource">The ledger's database.</param>
    /// <param name="dialect">Its dialect.</param>
    public SubmissionLedgerHealthCheck(DbDataSource dataSource, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        DbConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The ledger database refused the connection (帳本資料庫無法連線).", ex);
        }

        await using (connection.ConfigureAwait(false))
        {
            var missing = new List<string>();
            foreach (var table in Tables)
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = $"SELECT COUNT(*) FROM {_dialect.QuoteIdentifier(table)} WHERE 1 = 0";
                    try
                    {
                        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (DbException)
                    {
                        missing.Add(table);
                    }
                }
            }

            var data = new Dictionary<string, object> { ["dialect"] = _dialect.Name, ["missing_tables"] = missing.ToArray() };
            return missing.Count == 0
                ? HealthCheckResult.Healthy("The ledger tables are there (帳本資料表齊全).", data)
                : new HealthCheckResult(context.Registration.FailureStatus,
                    $"Ledger tables missing (帳本資料表缺少): {string.Join(", ", missing)}; run EnsureCreatedAsync or schemas/sql/submission.{_dialect.Name}.sql.", data: data);
        }
    }
}
