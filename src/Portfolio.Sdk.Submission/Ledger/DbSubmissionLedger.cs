using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Ledger;

/// <summary>
/// The submission ledger in the module's database through ADO.NET (any of the SDK's dialects; SQLite and
/// PostgreSQL are tested live). Changes are single statements or short transactions with optimistic
/// concurrency, so several processes may share one ledger.
/// </summary>
public sealed partial class DbSubmissionLedger : ISubmissionLedger
{
    private const int ConflictAttempts = 16;

    private static readonly string[] Columns =
    [
        "idempotency_key", "school_code", "book", "school_year", "term", "revision", "corrects", "content_kind", "sha256", "length", "state",
        "attempts", "gateway_id", "receipt_id", "accepted_rows", "rejected_rows", "diagnostics_json", "last_error", "confirm_until",
        "created_ticks", "updated_ticks", "version",
    ];

    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _clock;

    /// <summary>Initializes a ledger.</summary>
    /// <param name="dataSource">The module's database.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="clock">The clock for change times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public DbSubmissionLedger(DbDataSource dataSource, SqlDialect dialect, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
        _clock = clock ?? TimeProvider.System;
    }

    private string ColumnList => string.Join(", ", Columns.Select(Q));

    /// <inheritdoc />
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var statements = SubmissionLedgerSchema.CreateStatements(_dialect);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (_dialect == SqlDialect.Sqlite || _dialect == SqlDialect.PostgreSql)
            {
                // Every table and index, IF NOT EXISTS, in one transaction, on every start: a process killed while
                // creating leaves nothing behind, and a ledger left half-made by an earlier version is completed.
                for (var attempt = 1; ; attempt++)
                {
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        try
                        {
                            foreach (var statement in statements)
                            {
                                await ExecuteAsync(connection, transaction, IfNotExists(statement), [], cancellationToken).ConfigureAwait(false);
                            }

                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                            return;
                        }
                        catch (DbException) when (attempt < 3)
                        {
                            // Two processes creating the same ledger at once: the loser's catalogue insert conflicts; look again.
                            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }

            // Dialects without transactional DDL or IF NOT EXISTS: each statement on its own, an existing object is not
            // an error, and every table is re-checked at the end.
            foreach (var statement in statements)
            {
                try
                {
                    await ExecuteAsync(connection, null, statement, [], cancellationToken).ConfigureAwait(false);
                }
                catch (DbException)
                {
                    // Already there (re-checked below).
                }
            }

            foreach (var table in new[] { SubmissionLedgerSchema.SubmissionTable, SubmissionLedgerSchema.ReceiptRowTable, SubmissionLedgerSchema.ConfirmationTable, SubmissionLedgerSchema.ConfirmationWindowTable, SubmissionLedgerSchema.ReceiptAnswerTable, SubmissionLedgerSchema.ReceiptAuditTable })
            {
                await ExecuteAsync(connection, null, $"SELECT COUNT(*) FROM {Q(table)} WHERE 1 = 0", [], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string IfNotExists(string statement)
    {
        foreach (var head in (ReadOnlySpan<string>)["CREATE TABLE ", "CREATE UNIQUE INDEX ", "CREATE INDEX "])
        {
            if (statement.StartsWith(head, StringComparison.Ordinal))
            {
                return head + "IF NOT EXISTS " + statement[head.Length..];
            }
        }

        return statement;
    }

    /// <inheritdoc />
    public async Task<SubmissionRecord> AddOrGetAsync(SubmissionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (await FindAsync(record.Identity, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var values = Values(record with { Version = 1 });
                await ExecuteAsync(connection, null, $"INSERT INTO {Q(SubmissionLedgerSchema.SubmissionTable)} ({ColumnList}) VALUES ({Markers(values.Length)})", values, cancellationToken).ConfigureAwait(false);
                return record with { Version = 1 };
            }
        }
        catch (DbException)
        {
            // Another process may have created the same logical submission first: then theirs is the one.
            var winner = await FindAsync(record.Identity, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }
    }

    /// <inheritdoc />
    public async Task<SubmissionRecord?> GetAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
        First(await SelectAsync($"{Q("idempotency_key")} = {_dialect.ParameterMarker(0)}", [idempotencyKey], cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<SubmissionRecord?> FindAsync(SubmissionIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var where = $"{Q("school_code")} = {P(0)} AND {Q("book")} = {P(1)} AND {Q("school_year")} = {P(2)} AND {Q("term")} = {P(3)} AND {Q("revision")} = {P(4)}";
        object[] values = [identity.School.Value, identity.Book, identity.Term.Year.RocYear, (int)identity.Term.Term, identity.Revision];
        return First(await SelectAsync(where, values, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SubmissionRecord>> ListAsync(string? schoolCode = null, IReadOnlyCollection<SubmissionState>? states = null, CancellationToken cancellationToken = default)
    {
        var conditions = new List<string>();
        var values = new List<object>();
        if (schoolCode is not null)
        {
            conditions.Add($"{Q("school_code")} = {P(values.Count)}");
            values.Add(schoolCode);
        }

        if (states is { Count: > 0 })
        {
            conditions.Add($"{Q("state")} IN ({string.Join(", ", states.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))})");
        }

        return SelectAsync(conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions), [.. values], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SubmissionRecord?> TransitionAsync(string idempotencyKey, IReadOnlyCollection<SubmissionState> from, Func<SubmissionRecord, SubmissionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < ConflictAttempts; attempt++)
        {
            var current = await GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (current is null || !from.Contains(current.State))
            {
                return null;
            }

            var next = change(current) with { IdempotencyKey = current.IdempotencyKey, Identity = current.Identity, UpdatedAt = _clock.GetUtcNow(), Version = current.Version + 1 };
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (await UpdateAsync(connection, null, next, current.Version, cancellationToken).ConfigureAwait(false))
                {
                    return next;
                }
            }
        }

        throw new System.Data.DBConcurrencyException($"Submission {idempotencyKey} kept changing under {ConflictAttempts} attempts to update it.");
    }

    /// <inheritdoc />
    public async Task<SubmissionRecord?> SaveReceiptAsync(string idempotencyKey, Receipt receipt, DateOnly confirmUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var current = await GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (current is not { State: SubmissionState.Accepted })
        {
            return null;
        }

        var next = current with
        {
            State = SubmissionState.ReceiptReceived,
            ReceiptId = receipt.ReceiptId,
            ConfirmUntil = confirmUntil,
            UpdatedAt = _clock.GetUtcNow(),
            Version = current.Version + 1,
        };
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!await UpdateAsync(connection, transaction, next, current.Version, cancellationToken).ConfigureAwait(false))
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }

                var insert = $"INSERT INTO {Q(SubmissionLedgerSchema.ReceiptRowTable)} ({Q("idempotency_key")}, {Q("ordinal")}, {Q("student_key")}, {Q("sheet")}, {Q("row_key")}, {Q("values_json")}) VALUES ({Markers(6)})";
                for (var i = 0; i < receipt.Rows.Count; i++)
                {
                    var row = receipt.Rows[i];
                    await ExecuteAsync(connection, transaction, insert, [idempotencyKey, i, row.StudentKey, row.Sheet, row.RowKey, JsonSerializer.Serialize(row.Values, GatewayJson.Options)], cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return next;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReceiptRow> ReadReceiptRowsAsync(string idempotencyKey, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {Q("student_key")}, {Q("sheet")}, {Q("row_key")}, {Q("values_json")} FROM {Q(SubmissionLedgerSchema.ReceiptRowTable)} WHERE {Q("idempotency_key")} = {P(0)} ORDER BY {Q("ordinal")}",
                [idempotencyKey]);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield return new ReceiptRow
                        {
                            StudentKey = reader.GetString(0),
                            Sheet = reader.GetString(1),
                            RowKey = reader.GetString(2),
                            Values = JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(3), GatewayJson.Options) ?? [],
                        };
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task RecordConfirmationAsync(ConfirmationRecord confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Delete then insert: one portable "upsert" inside a transaction.
                await ExecuteAsync(connection, transaction, $"DELETE FROM {Q(SubmissionLedgerSchema.ConfirmationTable)} WHERE {Q("idempotency_key")} = {P(0)} AND {Q("student_key")} = {P(1)}",
                    [confirmation.IdempotencyKey, confirmation.StudentKey], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Q(SubmissionLedgerSchema.ConfirmationTable)} ({Q("idempotency_key")}, {Q("student_key")}, {Q("decision")}, {Q("note")}, {Q("at_ticks")}) VALUES ({Markers(5)})",
                    [confirmation.IdempotencyKey, confirmation.StudentKey, (int)confirmation.Decision, (object?)confirmation.Note ?? DBNull.Value, confirmation.At.UtcTicks], cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConfirmationRecord>> ReadConfirmationsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var result = new List<ConfirmationRecord>();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {Q("student_key")}, {Q("decision")}, {Q("note")}, {Q("at_ticks")} FROM {Q(SubmissionLedgerSchema.ConfirmationTable)} WHERE {Q("idempotency_key")} = {P(0)} ORDER BY {Q("student_key")}",
                [idempotencyKey]);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        result.Add(new ConfirmationRecord(idempotencyKey, reader.GetString(0), (ConfirmationDecision)Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                            reader.IsDBNull(2) ? null : reader.GetString(2), new DateTimeOffset(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), TimeSpan.Zero)));
                    }
                }
            }
        }

        return result;
    }

    // What a gateway says is stored with anything shaped like an ID masked: the ledger never keeps a student's ID in a message.
    private static GatewayDiagnostic Redacted(GatewayDiagnostic d) => d with
    {
        Message = Redaction.MaskIdentifiersIn(d.Message),
        MessageEnglish = Redaction.MaskIdentifiersIn(d.MessageEnglish),
        Column = Redaction.MaskIdentifiersIn(d.Column),
        Path = Redaction.MaskIdentifiersIn(d.Path),
    };

    private static SubmissionRecord? First(IReadOnlyList<SubmissionRecord> records) => records.Count > 0 ? records[0] : null;

    private static object[] Values(SubmissionRecord r) =>
    [
        r.IdempotencyKey, r.Identity.School.Value, r.Identity.Book, r.Identity.Term.Year.RocYear, (int)r.Identity.Term.Term, r.Identity.Revision,
        (object?)r.Corrects ?? DBNull.Value, (int)r.ContentKind, r.Sha256, r.Length, (int)r.State, r.Attempts, (object?)r.GatewayId ?? DBNull.Value,
        (object?)r.ReceiptId ?? DBNull.Value, r.AcceptedRows, r.RejectedRows,
        r.Diagnostics.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(r.Diagnostics.Select(Redacted), GatewayJson.Options), (object?)Redaction.MaskIdentifiersIn(r.LastError) ?? DBNull.Value,
        r.ConfirmUntil is { } until ? (until.Year * 10000) + (until.Month * 100) + until.Day : DBNull.Value,
        r.CreatedAt.UtcTicks, r.UpdatedAt.UtcTicks, r.Version,
    ];

    private static SubmissionRecord Read(DbDataReader r)
    {
        int Int(int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
        long Long(int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var until = r.IsDBNull(18) ? (int?)null : Int(18);
        return new SubmissionRecord
        {
            IdempotencyKey = r.GetString(0),
            Identity = new SubmissionIdentity(SchoolCode.Parse(r.GetString(1).Trim()), r.GetString(2), new SchoolTerm(new SchoolYear(Int(3)), (Term)Int(4)), Int(5)),
            Corrects = Text(6),
            ContentKind = (SubmissionContentKind)Int(7),
            Sha256 = r.GetString(8).Trim(),
            Length = Long(9),
            State = (SubmissionState)Int(10),
            Attempts = Int(11),
            GatewayId = Text(12),
            ReceiptId = Text(13),
            AcceptedRows = Int(14),
            RejectedRows = Int(15),
            Diagnostics = Text(16) is { } json ? JsonSerializer.Deserialize<List<GatewayDiagnostic>>(json, GatewayJson.Options) ?? [] : [],
            LastError = Text(17),
            ConfirmUntil = until is { } u ? new DateOnly(u / 10000, u / 100 % 100, u % 100) : null,
            CreatedAt = new DateTimeOffset(Long(19), TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(Long(20), TimeSpan.Zero),
            Version = Long(21),
        };
    }

    private async Task<bool> UpdateAsync(DbConnection connection, DbTransaction? transaction, SubmissionRecord next, long expectedVersion, CancellationToken cancellationToken)
    {
        var values = Values(next);
        var sets = string.Join(", ", Columns.Skip(1).Select((c, i) => $"{Q(c)} = {P(i)}"));
        var sql = $"UPDATE {Q(SubmissionLedgerSchema.SubmissionTable)} SET {sets} WHERE {Q("idempotency_key")} = {P(Columns.Length - 1)} AND {Q("version")} = {P(Columns.Length)}";
        return await ExecuteAsync(connection, transaction, sql, [.. values.Skip(1), next.IdempotencyKey, expectedVersion], cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task<IReadOnlyList<SubmissionRecord>> SelectAsync(string where, object[] values, CancellationToken cancellationToken)
    {
        var result = new List<SubmissionRecord>();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {ColumnList} FROM {Q(SubmissionLedgerSchema.SubmissionTable)} WHERE {where} ORDER BY {Q("created_ticks")}, {Q("idempotency_key")}", values);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        result.Add(Read(reader));
                    }
                }
            }
        }

        return result;
    }

    private async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, object[] values, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, sql, values);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, object[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
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

    private string Q(string name) => _dialect.QuoteIdentifier(name);

    private string P(int index) => _dialect.ParameterMarker(index);

    private string Markers(int count) => string.Join(", ", Enumerable.Range(0, count).Select(P));
}
