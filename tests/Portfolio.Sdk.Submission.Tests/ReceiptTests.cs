using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Submission.FileDrop;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Submission.Tests;

public sealed class ReceiptTests
{
    private static readonly RosterSheetLayout Grades = RosterCatalogue.Default["grades"].FindSheet("semester-grades")!.LayoutFor(new Calendar.SchoolYear(113));

    private static ReceiptSummary Header(string key) => new()
    {
        ReceiptId = "file-1", IdempotencyKey = key, SubmissionId = "S1", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1, IssuedAt = DateTimeOffset.UnixEpoch, RowCount = 0,
    };

    private static List<RosterContentRow> Submitted(byte[] workbook)
    {
        var rows = new List<RosterContentRow>();
        RosterContent.Read(new MemoryStream(workbook), SubmissionContentKind.Workbook, "roster.xlsx", rows.Add);
        return rows;
    }

    [Fact]
    public void Spreadsheet_WithAVendorMapping_ImportsEveryGoodRowAndReportsTheBadOne()
    {
        var mapping = ReceiptColumnMapping.Load(new MemoryStream(Encoding.UTF8.GetBytes("""
            { "studentKeyHeader": "身分證字號", "columns": { "課程代碼": "courseCode", "成績": "score" } }
            """)), "map.json").Value!;
        var csv = $"""
            身分證字號,課程代碼,成績
            {Rosters.StudentId(0)},113060322H1110101010101,88
            A123456788,113060322H1110101010101,70
            {Rosters.StudentId(1)},113060322H1110101010101,75
            """;

        var import = ReceiptImporter.ImportSpreadsheet(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "收訖明細.csv", Header("k"), Grades, mapping);

        import.Receipt!.Rows.Count.ShouldBe(2);
        var bad = import.Diagnostics.ShouldHaveSingleItem();
        bad.Code.ShouldBe(DiagnosticCodes.NationalIdCheckDigit);
        bad.Location!.Row.ShouldBe(3);
        bad.Location.Source.ShouldBe("收訖明細.csv");
        import.Receipt.Rows[0].RowKey.ShouldBe($"{Rosters.StudentId(0)}|113060322H1110101010101");
    }

    [Fact]
    public void Reconciliation_RowByRow_GivesTheSameReportAsTheListForm_AndRefusesRowsOutOfOrder()
    {
        var submitted = Submitted(Rosters.Grades(3));
        var received = submitted.Select(r => r.ToReceiptRow()).Skip(1).ToList();
        received.Add(received[0]);                                                     // a repeated receipt row counts once
        received[2] = received[2] with { Values = new Dictionary<string, string?>(received[2].Values) { ["score"] = "1" } };

        var streamed = new ReceiptReconciliation("R1");
        submitted.ForEach(streamed.AddSubmitted);
        submitted.ForEach(streamed.AddSubmitted);                                      // a repeated submitted row too
        received.ForEach(streamed.AddReceived);
        Should.Throw<InvalidOperationException>(() => streamed.AddSubmitted(submitted[0]));
        var report = streamed.Complete();
        Should.Throw<InvalidOperationException>(() => streamed.AddReceived(received[0]));
        Should.Throw<InvalidOperationException>(() => streamed.Complete());

        var listed = ReceiptReconciler.Reconcile(submitted, received, "R1");
        report.ToString().ShouldBe(listed.ToString());
        report.Matched.ShouldBe(submitted.Count - 2);
        report.Count(RowDifferenceKind.Missing).ShouldBe(1);
        report.Count(RowDifferenceKind.Changed).ShouldBe(1);
        report.Diagnostics.Select(d => d.ToString()).ShouldBe(listed.Diagnostics.Select(d => d.ToString()));
        streamed.ToString().ShouldNotContain(Rosters.StudentId(0));
    }

    [Fact]
    public void Spreadsheet_WithoutTheStudentColumn_IsRefusedWithItsName()
    {
        var import = ReceiptImporter.ImportSpreadsheet(new MemoryStream("a,b\n1,2\n"u8.ToArray()), "r.csv", Header("k"), Grades);
        import.Receipt.ShouldBeNull();
        import.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.ReceiptColumnMissing);
    }

    [Fact]
    public void Reconcile_ReportsChangedMissingAndExtraRows_PerStudent_WithMaskedIds()
    {
        var submitted = Submitted(Rosters.Grades(3));
        var received = submitted.Select(r => r.ToReceiptRow()).ToList();
        received.RemoveAt(0);                                                          // student 0 loses a row
        received[1] = received[1] with { Values = new Dictionary<string, string?>(received[1].Values) { ["score"] = "60" } }; // student 1 changed
        received.Add(received[2] with { RowKey = received[2].RowKey + "X" });         // an extra row for student 1
        received[3] = received[3] with { Values = new Dictionary<string, string?>(received[3].Values) { ["score"] = "88.0" } }; // same number

        var report = ReceiptReconciler.Reconcile(submitted, received, "R1");

        report.Count(RowDifferenceKind.Missing).ShouldBe(1);
        report.Count(RowDifferenceKind.Changed).ShouldBe(1);
        report.Count(RowDifferenceKind.Extra).ShouldBe(1);
        report.Matched.ShouldBe(4); // the 88.0 row matches 88
        report.Students.Single(s => s.StudentKey == Rosters.StudentId(1)).Differences.Single(d => d.Kind == RowDifferenceKind.Changed).Columns.ShouldBe(["score"]);
        report.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.ReconcileChanged, DiagnosticCodes.ReconcileExtra, DiagnosticCodes.ReconcileMissing], ignoreOrder: true);
        report.Diagnostics.ShouldAllBe(d => !d.Message.Contains(Rosters.StudentId(0)) && !d.Message.Contains(Rosters.StudentId(1)) && !d.MessageEnglish.Contains(Rosters.StudentId(1)));
        report.Students.ShouldAllBe(s => !s.ToString().Contains(s.StudentKey));
    }

    /// <summary>Property: whatever rows are dropped, changed or added, the reconciler counts exactly those.</summary>
    [Fact]
    public void Reconcile_CountsExactlyTheMutations()
    {
        var submitted = Submitted(Rosters.Grades(6));
        var property = Prop.ForAll(
            Gen.Elements(0, 1, 2, 3).ArrayOf(submitted.Count).ToArbitrary(),
            Gen.Choose(0, 5).ToArbitrary(),
            (fates, extras) =>
            {
                var received = new List<ReceiptRow>();
                for (var i = 0; i < submitted.Count; i++)
                {
                    var row = submitted[i].ToReceiptRow();
                    switch (fates[i])
                    {
                        case 1: break; // dropped
                        case 2: received.Add(row with { Values = new Dictionary<string, string?>(row.Values) { ["score"] = "1" } }); break;
                        default: received.Add(row); break;
                    }
                }

                for (var e = 0; e < extras; e++)
                {
                    received.Add(submitted[e].ToReceiptRow() with { RowKey = $"extra-{e}" });
                }

                var report = ReceiptReconciler.Reconcile(submitted, received);
                return report.Count(RowDifferenceKind.Missing) == fates.Count(f => f == 1)
                    && report.Count(RowDifferenceKind.Changed) == fates.Count(f => f == 2)
                    && report.Count(RowDifferenceKind.Extra) == extras
                    && report.Matched == fates.Count(f => f is 0 or 3);
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    /// <summary>Property: the JSON receipt reader never throws on arbitrary text, it reports.</summary>
    [Fact]
    public void ReadJson_OnArbitraryText_ReportsInsteadOfThrowing()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var outcome = ReceiptImporter.ReadJsonAsync(new MemoryStream(Encoding.UTF8.GetBytes(text ?? string.Empty))).GetAwaiter().GetResult();
            return outcome.Success || outcome.Diagnostics.Count > 0;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Theory]
    [InlineData("""{"receiptId":"R1","idempotencyKey":"k","submissionId":"S","schoolCode":"060322","book":"grades","schoolYear":113,"term":1,"issuedAt":"2024-01-01T00:00:00Z","rowCount":1,"rows":[null]}""")]
    [InlineData("""{"receiptId":"R1","idempotencyKey":"k","submissionId":"S","schoolCode":"060322","book":"grades","schoolYear":113,"term":1,"issuedAt":"2024-01-01T00:00:00Z","rowCount":1,"rows":null}""")]
    [InlineData("""{"receiptId":"R1","idempotencyKey":"k","submissionId":"S","schoolCode":"060322","book":"grades","schoolYear":113,"term":1,"issuedAt":"2024-01-01T00:00:00Z","rowCount":3,"rows":[{"studentKey":"A123456789","sheet":"s","rowKey":"r","values":{}},{"studentKey":"A123456789","sheet":"s","rowKey":"r","values":{}},{"studentKey":"A123456789","sheet":"s","rowKey":"r","values":{}}]}""")]
    public async Task ReadJson_NullRows_OrMoreRowsThanTheLimit_IsADiagnostic(string json)
    {
        var outcome = await ReceiptImporter.ReadJsonAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "r.json", Portfolio.Sdk.Input.InputLimits.Default with { MaxRows = 2 }, TestContext.Current.CancellationToken);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldHaveSingleItem().IsError.ShouldBeTrue();
    }

    [Fact]
    public async Task FileDrop_WritesTheUploadAndInstructions_AndReadsReceiptsBackFromItsFolder()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-drop-").FullName;
        var database = Testing.TestSisDatabase.Sqlite();
        await using (database)
        {
            var ct = TestContext.Current.CancellationToken;
            var drop = new FileDropGateway(Path.Combine(folder, "drop"));
            var ledger = new DbSubmissionLedger(database.DataSource, database.Dialect);
            await ledger.EnsureCreatedAsync(ct);
            var service = new SubmissionService(drop, ledger, new SubmissionOutbox(Path.Combine(folder, "outbox")));
            var content = Rosters.Grades(2);

            var record = await service.SubmitAsync(Rosters.Identity(), new MemoryStream(content), ct);
            record.State.ShouldBe(SubmissionState.Sent);
            var dropped = Path.Combine(drop.Folder, "060322", "113-1", FileDropGateway.FileNameOf(record.ToMetadata()));
            File.ReadAllBytes(dropped).ShouldBe(content);
            File.ReadAllText(Path.ChangeExtension(dropped, ".上傳說明.txt")).ShouldContain(record.Sha256);

            // The school downloads the receipt and puts it in receipts/.
            var receipt = new Receipt
            {
                ReceiptId = "R-manual", IdempotencyKey = record.IdempotencyKey, SubmissionId = "portal-1", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1,
                IssuedAt = DateTimeOffset.UtcNow, RowCount = 4, Rows = [.. Submitted(content).Select(r => r.ToReceiptRow())],
            };
            Directory.CreateDirectory(Path.Combine(drop.Folder, FileDropGateway.ReceiptsFolder));
            await File.WriteAllTextAsync(Path.Combine(drop.Folder, FileDropGateway.ReceiptsFolder, "r.json"), System.Text.Json.JsonSerializer.Serialize(receipt, GatewayJson.Options), ct);
            await File.WriteAllTextAsync(Path.Combine(drop.Folder, FileDropGateway.ReceiptsFolder, "broken.json"), "{ not json", ct);

            var harvest = await service.CollectReceiptsAsync("060322", ct);
            harvest.Received.ShouldHaveSingleItem().State.ShouldBe(SubmissionState.ReceiptReceived);
            (await service.ReconcileAsync(record.IdempotencyKey, ct)).IsClean.ShouldBeTrue();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ImportReceipt_ForAnUnknownSubmission_IsReported()
    {
        await using var h = await Harness.StartAsync();
        var receipt = new Receipt { ReceiptId = "R9", IdempotencyKey = "nobody-knows-me", SubmissionId = "S9", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1, IssuedAt = DateTimeOffset.UnixEpoch, RowCount = 0, Rows = [] };
        var (record, diagnostics) = await h.Service.ImportReceiptAsync(receipt, TestContext.Current.CancellationToken);
        record.ShouldBeNull();
        diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.ReceiptUnknownSubmission);
    }
}
