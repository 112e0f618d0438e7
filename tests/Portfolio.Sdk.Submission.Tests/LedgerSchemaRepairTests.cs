using System.Data.Common;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// A ledger's schema survives a kill at any point of its creation: every prefix of the creation script (what an
/// earlier, non-atomic version left when killed after that many statements) is completed on the next start, and the
/// unique index that keeps one roster under one key is there afterwards.
/// </summary>
public sealed class LedgerSchemaRepairTests
{
    public static TheoryData<string, int> Prefixes()
    {
        var data = new TheoryData<string, int>();
        var count = SubmissionLedgerSchema.CreateStatements(Portfolio.Sdk.Data.SqlDialect.Sqlite).Count;
        foreach (var database in new[] { "sqlite", "postgresql" })
        {
            for (var applied = 0; applied <= count; applied++)
            {
                data.Add(database, applied);
            }
        }

        return data;
    }

    private static SubmissionRecord Record(string key) => new()
    {
        IdempotencyKey = key,
        Identity = Rosters.Identity(),
        ContentKind = SubmissionContentKind.Workbook,
        Sha256 = new string('a', 64),
        Length = 10,
        State = SubmissionState.Pending,
        CreatedAt = new DateTimeOffset(2024, 10, 1, 0, 0, 0, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2024, 10, 1, 0, 0, 0, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task AHalfCreatedLedger_IsCompletedOnTheNextStart(string database, int applied)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = database == "sqlite" ? TestSisDatabase.Sqlite() : await TestSisDatabase.PostgresAsync();
        var statements = SubmissionLedgerSchema.CreateStatements(db.Dialect);
        await using (var connection = await db.DataSource.OpenConnectionAsync(ct))
        {
            foreach (var statement in statements.Take(applied))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(ct);
        await ledger.EnsureCreatedAsync(ct);

        // Every table answers, and concurrent adds of one roster still leave one entry (the unique index).
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => ledger.AddOrGetAsync(Record($"repair-key-{i:D4}"), ct), ct)));
        results.Select(r => r.IdempotencyKey).Distinct().ShouldHaveSingleItem();
        await using (var connection = await db.DataSource.OpenConnectionAsync(ct))
        {
            foreach (var table in new[] { SubmissionLedgerSchema.SubmissionTable, SubmissionLedgerSchema.ReceiptRowTable, SubmissionLedgerSchema.ConfirmationTable, SubmissionLedgerSchema.ConfirmationWindowTable, SubmissionLedgerSchema.ReceiptAnswerTable, SubmissionLedgerSchema.ReceiptAuditTable })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {db.Dialect.QuoteIdentifier(table)}";
                await command.ExecuteScalarAsync(ct);
            }

            // A second row for the same roster under another key is refused by the database itself.
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO {db.Dialect.QuoteIdentifier(SubmissionLedgerSchema.SubmissionTable)} SELECT 'other-key-0001', school_code, book, school_year, term, revision, corrects, content_kind, sha256, length, state, attempts, gateway_id, receipt_id, accepted_rows, rejected_rows, diagnostics_json, last_error, confirm_until, created_ticks, updated_ticks, version FROM {db.Dialect.QuoteIdentifier(SubmissionLedgerSchema.SubmissionTable)}";
            await Should.ThrowAsync<DbException>(() => insert.ExecuteNonQueryAsync(ct));
        }
    }
}

/// <summary>What a gateway says is stored with IDs masked.</summary>
public sealed class LedgerRedactionTests
{
    [Fact]
    public async Task GatewayDiagnostics_AndErrors_AreStoredWithIdsMasked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = TestSisDatabase.Sqlite();
        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(ct);
        var record = await ledger.AddOrGetAsync(new SubmissionRecord
        {
            IdempotencyKey = "redact-key-0001", Identity = Rosters.Identity(), ContentKind = SubmissionContentKind.Workbook, Sha256 = new string('a', 64), Length = 1,
            State = SubmissionState.Pending, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
            LastError = "gateway said A108948473 is unknown",
            Diagnostics = [new GatewayDiagnostic { Code = "PF1102", Severity = Portfolio.Sdk.Diagnostics.DiagnosticSeverity.Error, Message = "收到「A108948473」", MessageEnglish = "got A108948473", Column = "A108948473" }],
        }, ct);

        var stored = (await ledger.GetAsync(record.IdempotencyKey, ct))!;
        stored.LastError.ShouldBe("gateway said A10****473 is unknown");
        stored.Diagnostics[0].Message.ShouldBe("收到「A10****473」");
        stored.Diagnostics[0].Column.ShouldBe("A10****473");
    }
}
