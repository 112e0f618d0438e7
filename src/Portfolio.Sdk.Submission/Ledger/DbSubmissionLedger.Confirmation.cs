using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Ledger;

/// <content>The confirmation desk's tables: the schools' windows, the per-row answers and decisions, and their audit trail.</content>
public sealed partial class DbSubmissionLedger
{
    private const int AuditAttempts = 16;

    private static readonly string[] AnswerColumns =
    [
        "idempotency_key", "ordinal", "student_key", "decision", "note", "answered_by", "answered_ticks", "verdict", "reason", "decided_by", "decided_ticks", "correction_key",
    ];

    private static int DayNumber(DateOnly day) => (day.Year * 10000) + (day.Month * 100) + day.Day;

    private static DateOnly FromDayNumber(int value) => new(value / 10000, value / 100 % 100, value % 100);

    /// <summary>Stores (or replaces) a school's confirmation window.</summary>
    internal async Task SaveWindowAsync(ConfirmationWindow window, string actorId, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                object[] key = [window.School.Value, window.Book, window.Term.Year.RocYear, (int)window.Term.Term];
                await ExecuteAsync(connection, transaction, $"DELETE FROM {Q(SubmissionLedgerSchema.ConfirmationWindowTable)} WHERE {Q("school_code")} = {P(0)} AND {Q("book")} = {P(1)} AND {Q("school_year")} = {P(2)} AND {Q("term")} = {P(3)}",
                    key, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Q(SubmissionLedgerSchema.ConfirmationWindowTable)} ({Q("school_code")}, {Q("book")}, {Q("school_year")}, {Q("term")}, {Q("first_day")}, {Q("last_day")}, {Q("set_by")}, {Q("set_ticks")}) VALUES ({Markers(8)})",
                    [.. key, DayNumber(window.FirstDay), DayNumber(window.LastDay), actorId, _clock.GetUtcNow().UtcTicks], cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a school's confirmation window for a book and term.</summary>
    internal async Task<ConfirmationWindow?> FindWindowAsync(SchoolCode school, string book, SchoolTerm term, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {Q("first_day")}, {Q("last_day")} FROM {Q(SubmissionLedgerSchema.ConfirmationWindowTable)} WHERE {Q("school_code")} = {P(0)} AND {Q("book")} = {P(1)} AND {Q("school_year")} = {P(2)} AND {Q("term")} = {P(3)}",
                [school.Value, book, term.Year.RocYear, (int)term.Term]);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    return new ConfirmationWindow(school, book, term,
                        FromDayNumber(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)), FromDayNumber(Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    /// <summary>Stores (or replaces) an answer row with its decision.</summary>
    internal async Task SaveAnswerAsync(ReceiptRowAnswer answer, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} WHERE {Q("idempotency_key")} = {P(0)} AND {Q("ordinal")} = {P(1)}",
                    [answer.IdempotencyKey, answer.Row], cancellationToken).ConfigureAwait(false);
                object? Or(object? value) => value ?? DBNull.Value;
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} ({string.Join(", ", AnswerColumns.Select(Q))}) VALUES ({Markers(AnswerColumns.Length)})",
                    [answer.IdempotencyKey, answer.Row, answer.StudentKey, (int)answer.Decision, Or(answer.Note)!, answer.AnsweredBy, answer.AnsweredAt.UtcTicks,
                        Or(answer.Verdict is { } v ? (int)v : null)!, Or(answer.Reason)!, Or(answer.DecidedBy)!, Or(answer.DecidedAt?.UtcTicks)!, Or(answer.CorrectionKey)!], cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Replaces a row's answer only while it is still the one the caller read (<paramref name="expectedVersion"/>, 0 for
    /// none): the writes of one entry queue on its ledger row (a row lock, or SQLite's write lock), so of two answers
    /// made from the same reading one is saved and the other is told what is there now.
    /// </summary>
    internal async Task<(bool Saved, ReceiptRowAnswer? Current)> TryReplaceAnswerAsync(ReceiptRowAnswer answer, long expectedVersion, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // First statement of the transaction: it takes the entry's lock before anything is read.
                await ExecuteAsync(connection, transaction, $"UPDATE {Q(SubmissionLedgerSchema.SubmissionTable)} SET {Q("version")} = {Q("version")} WHERE {Q("idempotency_key")} = {P(0)}",
                    [answer.IdempotencyKey], cancellationToken).ConfigureAwait(false);
                ReceiptRowAnswer? current = null;
                var command = Command(connection, transaction,
                    $"SELECT {string.Join(", ", AnswerColumns.Select(Q))} FROM {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} WHERE {Q("idempotency_key")} = {P(0)} AND {Q("ordinal")} = {P(1)}",
                    [answer.IdempotencyKey, answer.Row]);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            current = ReadAnswer(reader);
                        }
                    }
                }

                if (ReceiptRowAnswer.VersionOf(current) != expectedVersion)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return (false, current);
                }

                await ExecuteAsync(connection, transaction, $"DELETE FROM {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} WHERE {Q("idempotency_key")} = {P(0)} AND {Q("ordinal")} = {P(1)}",
                    [answer.IdempotencyKey, answer.Row], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} ({string.Join(", ", AnswerColumns.Select(Q))}) VALUES ({Markers(AnswerColumns.Length)})",
                    AnswerValues(answer), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (true, answer);
            }
        }
    }

    private static object[] AnswerValues(ReceiptRowAnswer answer)
    {
        static object Or(object? value) => value ?? DBNull.Value;
        return [answer.IdempotencyKey, answer.Row, answer.StudentKey, (int)answer.Decision, Or(answer.Note), answer.AnsweredBy, answer.AnsweredAt.UtcTicks,
            Or(answer.Verdict is { } v ? (int)v : null), Or(answer.Reason), Or(answer.DecidedBy), Or(answer.DecidedAt?.UtcTicks), Or(answer.CorrectionKey)];
    }

    /// <summary>Reads the answers of an entry, by row.</summary>
    internal async Task<IReadOnlyList<ReceiptRowAnswer>> ReadAnswersAsync(string idempotencyKey, string? studentKey, CancellationToken cancellationToken)
    {
        var result = new List<ReceiptRowAnswer>();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var where = studentKey is null ? string.Empty : $" AND {Q("student_key")} = {P(1)}";
            object[] values = studentKey is null ? [idempotencyKey] : [idempotencyKey, studentKey];
            var command = Command(connection, null,
                $"SELECT {string.Join(", ", AnswerColumns.Select(Q))} FROM {Q(SubmissionLedgerSchema.ReceiptAnswerTable)} WHERE {Q("idempotency_key")} = {P(0)}{where} ORDER BY {Q("ordinal")}", values);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        result.Add(ReadAnswer(reader));
                    }
                }
            }
        }

        return result;
    }

    private static ReceiptRowAnswer ReadAnswer(DbDataReader r)
    {
        int Int(int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
        long Long(int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new ReceiptRowAnswer
        {
            IdempotencyKey = r.GetString(0),
            Row = Int(1),
            StudentKey = r.GetString(2),
            Decision = (ConfirmationDecision)Int(3),
            Note = Text(4),
            AnsweredBy = r.GetString(5),
            AnsweredAt = new DateTimeOffset(Long(6), TimeSpan.Zero),
            Verdict = r.IsDBNull(7) ? null : (DisputeVerdict)Int(7),
            Reason = Text(8),
            DecidedBy = Text(9),
            DecidedAt = r.IsDBNull(10) ? null : new DateTimeOffset(Long(10), TimeSpan.Zero),
            CorrectionKey = Text(11),
        };
    }

    /// <summary>Reads receipt rows of an entry with their positions: one row, or one student's rows, without reading the rest.</summary>
    internal async Task<IReadOnlyList<(int Ordinal, ReceiptRow Row)>> ReadReceiptRowsAsync(string idempotencyKey, int? ordinal, string? studentKey, CancellationToken cancellationToken)
    {
        var result = new List<(int, ReceiptRow)>();
        var where = $"{Q("idempotency_key")} = {P(0)}";
        var values = new List<object> { idempotencyKey };
        if (ordinal is { } o)
        {
            where += $" AND {Q("ordinal")} = {P(values.Count)}";
            values.Add(o);
        }

        if (studentKey is not null)
        {
            where += $" AND {Q("student_key")} = {P(values.Count)}";
            values.Add(studentKey);
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {Q("ordinal")}, {Q("student_key")}, {Q("sheet")}, {Q("row_key")}, {Q("values_json")} FROM {Q(SubmissionLedgerSchema.ReceiptRowTable)} WHERE {where} ORDER BY {Q("ordinal")}",
                [.. values]);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        result.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), new ReceiptRow
                        {
                            StudentKey = reader.GetString(1),
                            Sheet = reader.GetString(2),
                            RowKey = reader.GetString(3),
                            Values = JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(4), GatewayJson.Options) ?? [],
                        }));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Appends an entry to the desk's hash-chained audit trail (a concurrent append retries on the next sequence).</summary>
    internal async Task<AuditEntry> AppendAuditAsync(string actorId, string action, string entityType, string entityId, string? before, string? after, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var previous = await LastAuditAsync(cancellationToken).ConfigureAwait(false);
            var entry = AuditTrail.Next(previous, _clock, actorId, action, entityType, entityId, before, after);
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, null,
                        $"INSERT INTO {Q(SubmissionLedgerSchema.ReceiptAuditTable)} ({Q("sequence")}, {Q("at_utc_ticks")}, {Q("actor_id")}, {Q("action")}, {Q("entity_type")}, {Q("entity_id")}, {Q("before_json")}, {Q("after_json")}, {Q("previous_hash")}, {Q("hash")}) VALUES ({Markers(10)})",
                        [entry.Sequence, entry.At.UtcTicks, entry.ActorId, entry.Action, entry.EntityType, entry.EntityId, (object?)entry.Before ?? DBNull.Value, (object?)entry.After ?? DBNull.Value, entry.PreviousHash, entry.Hash],
                        cancellationToken).ConfigureAwait(false);
                    return entry;
                }
            }
            catch (DbException) when (attempt < AuditAttempts)
            {
                // Another process took this sequence number: chain onto its entry.
            }
        }
    }

    /// <summary>Reads the desk's audit trail in sequence order.</summary>
    internal async IAsyncEnumerable<AuditEntry> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {AuditColumnList} FROM {Q(SubmissionLedgerSchema.ReceiptAuditTable)} ORDER BY {Q("sequence")}", []);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield return ReadAudit(reader);
                    }
                }
            }
        }
    }

    private static readonly string[] AuditTableColumns = ["sequence", "at_utc_ticks", "actor_id", "action", "entity_type", "entity_id", "before_json", "after_json", "previous_hash", "hash"];

    private string AuditColumnList => string.Join(", ", AuditTableColumns.Select(Q));

    private static AuditEntry ReadAudit(DbDataReader r) => new(
        Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), new DateTimeOffset(Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), TimeSpan.Zero),
        r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8).Trim(), r.GetString(9).Trim());

    private async Task<AuditEntry?> LastAuditAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {AuditColumnList} FROM {Q(SubmissionLedgerSchema.ReceiptAuditTable)} WHERE {Q("sequence")} = (SELECT MAX({Q("sequence")}) FROM {Q(SubmissionLedgerSchema.ReceiptAuditTable)})", []);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAudit(reader) : null;
                }
            }
        }
    }
}
