using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Submission.Tests;

public sealed class SubmissionFlowTests
{
    [Theory]
    [MemberData(nameof(Testing.TestDatabase.Providers), MemberType = typeof(Testing.TestDatabase))]
    public async Task Submit_ValidRoster_IsAcceptedOnceAndItsReceiptOpensTheConfirmationWindow(string provider)
    {
        await using var h = await Harness.StartAsync(database: provider);
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(5)), TestContext.Current.CancellationToken);

        record.State.ShouldBe(SubmissionState.Accepted);
        record.AcceptedRows.ShouldBe(10);
        record.Attempts.ShouldBe(1);
        record.GatewayId.ShouldNotBeNull();
        h.Sandbox.Store.TimesStored(record.IdempotencyKey).ShouldBe(1);

        var receipts = await h.Service.CollectReceiptsAsync(Rosters.School.Value, TestContext.Current.CancellationToken);
        var received = receipts.Received.ShouldHaveSingleItem();
        received.State.ShouldBe(SubmissionState.ReceiptReceived);
        received.ConfirmUntil.ShouldBe(new DateOnly(2024, 10, 4)); // 2024-10-01 in Taipei + the policy's 3 days

        var report = await h.Service.ReconcileAsync(record.IdempotencyKey, TestContext.Current.CancellationToken);
        report.IsClean.ShouldBeTrue(report.ToString());
        report.Matched.ShouldBe(10);
        report.Students.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Submit_SameIdentityTwice_SubmitsNothingTwice()
    {
        await using var h = await Harness.StartAsync();
        var first = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), TestContext.Current.CancellationToken);
        var second = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), TestContext.Current.CancellationToken);

        second.IdempotencyKey.ShouldBe(first.IdempotencyKey);
        second.Attempts.ShouldBe(1);
        h.Sandbox.Store.SubmissionCount.ShouldBe(1);
        (await h.Ledger.ListAsync(cancellationToken: TestContext.Current.CancellationToken)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Resend_OfAnAcceptedKey_IsAnsweredFromTheFirstRequest()
    {
        await using var h = await Harness.StartAsync();
        var record = await h.Service.EnqueueAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(2)), cancellationToken: TestContext.Current.CancellationToken);
        var metadata = record.ToMetadata();

        var first = await h.Gateway.SubmitAsync(metadata, () => h.Outbox.Open(record.Sha256), TestContext.Current.CancellationToken);
        var again = await h.Gateway.SubmitAsync(metadata, () => h.Outbox.Open(record.Sha256), TestContext.Current.CancellationToken);

        first.Replayed.ShouldBeFalse();
        again.Replayed.ShouldBeTrue();
        again.Status!.SubmissionId.ShouldBe(first.Status!.SubmissionId);
        h.Sandbox.Store.TimesStored(record.IdempotencyKey).ShouldBe(1);
        h.Sandbox.Store.Replays.ShouldBe(1);
    }

    [Fact]
    public async Task Submit_WithInvalidRows_ReceivesTheValidRestAndRecordsTheRefusals()
    {
        await using var h = await Harness.StartAsync();
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(4, invalid: 2)), TestContext.Current.CancellationToken);

        record.State.ShouldBe(SubmissionState.Accepted);
        record.AcceptedRows.ShouldBe(6);
        record.RejectedRows.ShouldBe(2);
        record.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayRowsRejected);
        record.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldAllBe(d => d.Row != null && d.Sheet != null);

        await h.Service.CollectReceiptsAsync(Rosters.School.Value, TestContext.Current.CancellationToken);
        var report = await h.Service.ReconcileAsync(record.IdempotencyKey, TestContext.Current.CancellationToken);
        report.Count(RowDifferenceKind.Refused).ShouldBe(2);
        report.Count(RowDifferenceKind.Missing).ShouldBe(0);
        report.IsClean.ShouldBeTrue();
    }

    [Fact]
    public async Task Submit_UnreadableContent_IsRejectedWithItsDiagnostics()
    {
        await using var h = await Harness.StartAsync();
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream("not a workbook"u8.ToArray()), TestContext.Current.CancellationToken);

        record.State.ShouldBe(SubmissionState.Rejected);
        record.Diagnostics.Select(d => d.Code).ShouldContain(DiagnosticCodes.GatewayContentUnreadable);
        h.Sandbox.Store.TimesStored(record.IdempotencyKey).ShouldBe(1); // a rejection is answered the same way on every resend
    }

    [Fact]
    public async Task Submit_RosterOfAnotherSchool_IsRejectedForTheCoverMismatch()
    {
        await using var h = await Harness.StartAsync();
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(2, school: "013301")), TestContext.Current.CancellationToken);

        record.State.ShouldBe(SubmissionState.Rejected);
        record.Diagnostics.Select(d => d.Code).ShouldContain(DiagnosticCodes.GatewayCoverMismatch);
    }

    [Theory]
    [MemberData(nameof(Testing.TestDatabase.Providers), MemberType = typeof(Testing.TestDatabase))]
    public async Task Confirmation_DisputeThenClose_DrivesACorrectedResubmissionLinkedToTheOriginal(string provider)
    {
        await using var h = await Harness.StartAsync(database: provider);
        var ct = TestContext.Current.CancellationToken;
        var original = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), ct);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct);

        (await h.Service.RecordConfirmationAsync(original.IdempotencyKey, Rosters.StudentId(0), ConfirmationDecision.Confirm, cancellationToken: ct)).Succeeded.ShouldBeTrue();
        (await h.Service.RecordConfirmationAsync(original.IdempotencyKey, Rosters.StudentId(1), ConfirmationDecision.Dispute, "國語文成績應為 90", ct)).Value!.Note.ShouldBe("國語文成績應為 90");
        (await h.Service.RecordConfirmationAsync(original.IdempotencyKey, "B123456780", ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationNotInReceipt);

        var early = await h.Service.CloseConfirmationAsync(original.IdempotencyKey, ct);
        early.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.ConfirmationWindowStillOpen);
        early.Record!.State.ShouldBe(SubmissionState.ReceiptReceived);

        h.Clock.Advance(TimeSpan.FromDays(4));
        (await h.Service.RecordConfirmationAsync(original.IdempotencyKey, Rosters.StudentId(2), ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowClosed);
        var closed = await h.Service.CloseConfirmationAsync(original.IdempotencyKey, ct);
        closed.Record!.State.ShouldBe(SubmissionState.Disputed);
        closed.Disputes.ShouldHaveSingleItem().StudentKey.ShouldBe(Rosters.StudentId(1));

        var corrected = await h.Service.SubmitCorrectionAsync(original.IdempotencyKey, new MemoryStream(Rosters.Grades(3, score: 90)), ct);
        corrected.State.ShouldBe(SubmissionState.Accepted);
        corrected.Identity.Revision.ShouldBe(2);
        corrected.Corrects.ShouldBe(original.IdempotencyKey);
        corrected.IdempotencyKey.ShouldNotBe(original.IdempotencyKey);
        (await h.Service.SubmitCorrectionAsync(original.IdempotencyKey, new MemoryStream(Rosters.Grades(3, score: 90)), ct)).IdempotencyKey.ShouldBe(corrected.IdempotencyKey);
        h.Sandbox.Store.SubmissionCount.ShouldBe(2);
    }

    [Fact]
    public async Task Correction_OfAnAcceptedSubmission_IsRefusedWithTheStateDiagnostic()
    {
        await using var h = await Harness.StartAsync();
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(1)), TestContext.Current.CancellationToken);

        var ex = await Should.ThrowAsync<PortfolioException>(() => h.Service.SubmitCorrectionAsync(record.IdempotencyKey, new MemoryStream(Rosters.Grades(1)), TestContext.Current.CancellationToken));
        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.SubmissionState);
    }

    [Fact]
    public async Task Logs_OfAWholeFlow_NeverHoldAStudentId()
    {
        await using var h = await Harness.StartAsync(new Sandbox.SandboxOptions { Faults = { Rate = 0 } });
        var ct = TestContext.Current.CancellationToken;
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, invalid: 1)), ct);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct);
        await h.Service.RecordConfirmationAsync(record.IdempotencyKey, Rosters.StudentId(0), ConfirmationDecision.Dispute, null, ct);

        // Every log record, through FakeLogger: its message, its exception and every structured value.
        var lines = h.Logs.GetSnapshot().Select(r => $"{r.Level} {r.Message} {r.Exception} {string.Join(" ", r.StructuredState?.Select(p => p.Value) ?? [])}").ToList();
        lines.ShouldNotBeEmpty();
        var ids = Enumerable.Range(0, 3).Select(Rosters.StudentId).ToList();
        lines.ShouldAllBe(line => ids.All(id => !line.Contains(id, StringComparison.Ordinal)));
        var rows = new List<ReceiptRow>();
        await foreach (var row in h.Ledger.ReadReceiptRowsAsync(record.IdempotencyKey, ct))
        {
            rows.Add(row);
        }

        rows.ShouldAllBe(r => !r.ToString().Contains(r.StudentKey, StringComparison.Ordinal));
        (await h.Ledger.ReadConfirmationsAsync(record.IdempotencyKey, ct)).ShouldAllBe(c => !c.ToString().Contains(c.StudentKey, StringComparison.Ordinal));
    }
}
