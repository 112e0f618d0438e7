using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

public sealed class LedgerTests
{
    public static TheoryData<string> Databases() => TestDatabase.Providers();

    private static Task<TestSisDatabase> OpenAsync(string database) => TestSisDatabase.OpenAsync(database);

    private static SubmissionRecord Record(string key, int revision = 1) => new()
    {
        IdempotencyKey = key,
        Identity = Rosters.Identity(revision),
        ContentKind = SubmissionContentKind.Workbook,
        Sha256 = new string('a', 64),
        Length = 10,
        State = SubmissionState.Pending,
        CreatedAt = new DateTimeOffset(2024, 10, 1, 0, 0, 0, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2024, 10, 1, 0, 0, 0, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddOrGet_KeepsTheFirstEntryOfAnIdentity(string database)
    {
        await using var db = await OpenAsync(database);
        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken); // idempotent

        var first = await ledger.AddOrGetAsync(Record("first-key-0001"), TestContext.Current.CancellationToken);
        var second = await ledger.AddOrGetAsync(Record("second-key-002"), TestContext.Current.CancellationToken);

        second.IdempotencyKey.ShouldBe(first.IdempotencyKey);
        (await ledger.GetAsync("second-key-002", TestContext.Current.CancellationToken)).ShouldBeNull();
        (await ledger.FindAsync(Rosters.Identity(), TestContext.Current.CancellationToken))!.IdempotencyKey.ShouldBe("first-key-0001");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ConcurrentAdds_OfOneIdentity_LeaveOneEntry(string database)
    {
        await using var db = await OpenAsync(database);
        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => ledger.AddOrGetAsync(Record($"racing-key-{i:D4}"), TestContext.Current.CancellationToken))));

        results.Select(r => r.IdempotencyKey).Distinct().ShouldHaveSingleItem();
        (await ledger.ListAsync(cancellationToken: TestContext.Current.CancellationToken)).Count.ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Transition_MovesOnlyFromTheAllowedStates_AndKeepsEveryField(string database)
    {
        await using var db = await OpenAsync(database);
        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await ledger.AddOrGetAsync(Record("state-key-0001"), TestContext.Current.CancellationToken);

        var diagnostic = new GatewayDiagnostic { Code = "PF1203", Severity = Diagnostics.DiagnosticSeverity.Error, Message = "零分卻及格", MessageEnglish = "Zero but passed", Sheet = "學期成績", Row = 3 };
        var accepted = await ledger.TransitionAsync("state-key-0001", [SubmissionState.Pending], r => r with { State = SubmissionState.Accepted, GatewayId = "S1", AcceptedRows = 9, RejectedRows = 1, Diagnostics = [diagnostic] }, TestContext.Current.CancellationToken);
        var again = await ledger.TransitionAsync("state-key-0001", [SubmissionState.Pending], r => r with { State = SubmissionState.Sent }, TestContext.Current.CancellationToken);

        accepted!.Version.ShouldBe(2);
        again.ShouldBeNull();
        var read = (await ledger.GetAsync("state-key-0001", TestContext.Current.CancellationToken))!;
        read.State.ShouldBe(SubmissionState.Accepted);
        read.GatewayId.ShouldBe("S1");
        read.Diagnostics.ShouldHaveSingleItem().ShouldBe(diagnostic);
        (await ledger.ListAsync(Rosters.School.Value, [SubmissionState.Pending, SubmissionState.Sent], TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Receipt_AndConfirmations_RoundTrip(string database)
    {
        await using var db = await OpenAsync(database);
        var ledger = new DbSubmissionLedger(db.DataSource, db.Dialect);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await ledger.AddOrGetAsync(Record("receipt-key-01") with { State = SubmissionState.Accepted }, TestContext.Current.CancellationToken);
        var rows = new[]
        {
            new ReceiptRow { StudentKey = Rosters.StudentId(1), Sheet = "semester-grades", RowKey = Rosters.StudentId(1) + "|X", Values = new Dictionary<string, string?> { ["score"] = "88", ["makeupExamScore"] = null } },
            new ReceiptRow { StudentKey = Rosters.StudentId(2), Sheet = "semester-grades", RowKey = Rosters.StudentId(2) + "|X", Values = new Dictionary<string, string?> { ["score"] = "60" } },
        };
        var receipt = new Receipt { ReceiptId = "R1", IdempotencyKey = "receipt-key-01", SubmissionId = "S1", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1, IssuedAt = DateTimeOffset.UnixEpoch, RowCount = 2, Rows = rows };

        var saved = await ledger.SaveReceiptAsync("receipt-key-01", receipt, new DateOnly(2024, 10, 4), TestContext.Current.CancellationToken);
        (await ledger.SaveReceiptAsync("receipt-key-01", receipt, new DateOnly(2024, 10, 4), TestContext.Current.CancellationToken)).ShouldBeNull();
        saved!.ConfirmUntil.ShouldBe(new DateOnly(2024, 10, 4));
        var read = new List<ReceiptRow>();
        await foreach (var row in ledger.ReadReceiptRowsAsync("receipt-key-01", TestContext.Current.CancellationToken))
        {
            read.Add(row);
        }

        read.Select(r => (r.StudentKey, r.RowKey, r.Values["score"])).ShouldBe(rows.Select(r => (r.StudentKey, r.RowKey, r.Values["score"])));
        read[0].Values["makeupExamScore"].ShouldBeNull();

        var at = new DateTimeOffset(2024, 10, 2, 0, 0, 0, TimeSpan.Zero);
        await ledger.RecordConfirmationAsync(new ConfirmationRecord("receipt-key-01", Rosters.StudentId(1), ConfirmationDecision.Dispute, "錯", at), TestContext.Current.CancellationToken);
        await ledger.RecordConfirmationAsync(new ConfirmationRecord("receipt-key-01", Rosters.StudentId(1), ConfirmationDecision.Confirm, null, at), TestContext.Current.CancellationToken);
        (await ledger.ReadConfirmationsAsync("receipt-key-01", TestContext.Current.CancellationToken)).ShouldHaveSingleItem().Decision.ShouldBe(ConfirmationDecision.Confirm);
    }

    [Theory]
    [InlineData("oracle")]
    [InlineData("sqlserver")]
    [InlineData("postgresql")]
    [InlineData("mysql")]
    [InlineData("sqlite")]
    public void CheckedInSqlScripts_MatchTheSchemaTheCodeGenerates(string dialect)
    {
        SqlDialect.TryGet(dialect, out var d);
        var path = RepositoryPaths.Combine("schemas", "sql", $"submission.{dialect}.sql");
        var expected = SubmissionLedgerSchema.Script(d!);
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            File.WriteAllText(path, expected);
        }

        (File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty).ShouldBe(expected, $"{path} drifted; run the tests with PORTFOLIO_ACCEPT=1.");
    }
}
