using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// The confirmation window as schools run it, end to end against the sandbox over real HTTP and a real ledger database:
/// the school's window, per-row answers by the students themselves, staff decisions, and a correction that carries only
/// the disputed-and-upheld rows.
/// </summary>
public sealed class ConfirmationDeskTests
{
    private static readonly PortfolioActor Staff = new("staff-1", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });

    private static PortfolioPolicy Policy() => new PortfolioPolicyBuilder()
        .WithWindow(PolicyWindowKind.Confirmation, Rosters.Term, new DateOnly(2024, 10, 1), new DateOnly(2024, 10, 20))
        .Build().Value!;

    private static PortfolioActor Student(int index) => PortfolioActor.StudentOf($"student-{index}", Rosters.StudentId(index));

    private static ConfirmationWindow Window(DateOnly first, DateOnly last) => new(Rosters.School, "grades", Rosters.Term, first, last);

    // Eight answers to one row made from one reading, all at once: one is saved, seven are told PF4414; then a student's
    // new answer and a staff decision from the same reading race: one wins, and what is stored is the winner's.
    [Theory]
    [MemberData(nameof(Testing.TestDatabase.Providers), MemberType = typeof(Testing.TestDatabase))]
    public async Task Desk_ConcurrentAnswersFromOneReading_OneIsSaved_TheOthersConflict(string provider)
    {
        await using var h = await Harness.StartAsync(database: provider);
        var ct = TestContext.Current.CancellationToken;
        var desk = new ConfirmationDesk(h.Service, h.Ledger, Policy(), h.Clock);
        var original = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(2)), ct);
        (await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct)).Received.ShouldHaveSingleItem();
        var mine = (await desk.ListOwnReceiptsAsync(Student(1), ct)).Value!.ShouldHaveSingleItem();
        mine.IsOpen.ShouldBeTrue();
        mine.Rows.ShouldAllBe(r => r.Received.StudentKey == Rosters.StudentId(1) && r.Version == 0);
        (await desk.ListOwnReceiptsAsync(Staff, ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        var row = mine.Rows[0].Row;

        using var start = new SemaphoreSlim(0);
        var answers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync(ct);
            return await desk.AnswerAsync(Student(1), original.IdempotencyKey, row, ConfirmationDecision.Dispute, $"第 {i} 次：成績有誤", 0, ct);
        })).ToList();
        start.Release(8);
        var results = await Task.WhenAll(answers);
        results.Count(r => r.Succeeded).ShouldBe(1, string.Join("; ", results.Select(r => r.ToString())));
        results.Where(r => !r.Succeeded).ShouldAllBe(r => r.Problem!.Code == DiagnosticCodes.ReceiptAnswerConflict);
        var stored = (await desk.ListRowsAsync(Student(1), original.IdempotencyKey, Rosters.StudentId(1), ct)).Value!.Single(r => r.Row == row);
        stored.Answer.ShouldBe(results.Single(r => r.Succeeded).Value);

        var open = (await desk.ListOpenDisputesAsync(Staff, cancellationToken: ct)).Value!.ShouldHaveSingleItem();
        open.Row.Version.ShouldBe(stored.Version);
        (await desk.ListOpenDisputesAsync(Student(1), cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        using var race = new SemaphoreSlim(0);
        var student = Task.Run(async () => { await race.WaitAsync(ct); return await desk.AnswerAsync(Student(1), original.IdempotencyKey, row, ConfirmationDecision.Confirm, null, stored.Version, ct); });
        var staff = Task.Run(async () =>
        {
            await race.WaitAsync(ct);
            var decided = await desk.DecideAsync(Staff, original.IdempotencyKey, row, DisputeVerdict.Upheld, null, stored.Version, ct);
            decided.Value?.Unlock.ShouldBeNull();   // a desk without the module's items unlocks nothing
            return decided.Succeeded ? PortfolioResult<ReceiptRowAnswer>.Ok(decided.Value!.Answer) : PortfolioResult<ReceiptRowAnswer>.Refused(decided.Diagnostics);
        });
        race.Release(2);
        var both = await Task.WhenAll(student, staff);
        both.Count(r => r.Succeeded).ShouldBe(1, string.Join("; ", both.Select(r => r.ToString())));
        both.Single(r => !r.Succeeded).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptAnswerConflict);
        (await desk.ListRowsAsync(Staff, original.IdempotencyKey, Rosters.StudentId(1), ct)).Value!.Single(r => r.Row == row).Answer.ShouldBe(both.Single(r => r.Succeeded).Value);
    }

    [Theory]
    [MemberData(nameof(Testing.TestDatabase.Providers), MemberType = typeof(Testing.TestDatabase))]
    public async Task Desk_OnlyDisputedAndUpheldRows_GoIntoTheCorrection(string provider)
    {
        await using var h = await Harness.StartAsync(database: provider);
        var ct = TestContext.Current.CancellationToken;
        var desk = new ConfirmationDesk(h.Service, h.Ledger, Policy(), h.Clock);   // the clock says 2024-10-01 in Taipei
        var original = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), ct);

        // The school's window: at least 3 days, inside the national schedule, staff only.
        (await desk.SetWindowAsync(Staff, Window(new(2024, 10, 2), new(2024, 10, 3)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowTooShort);
        (await desk.SetWindowAsync(Staff, Window(new(2024, 9, 28), new(2024, 10, 3)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowOutsideSchedule);
        (await desk.SetWindowAsync(Staff, Window(new(2024, 10, 18), new(2024, 10, 22)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowOutsideSchedule);
        (await desk.SetWindowAsync(Staff, Window(new(2024, 10, 5), new(2024, 10, 4)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowInvalid);
        (await desk.SetWindowAsync(Student(0), Window(new(2024, 10, 2), new(2024, 10, 6)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        var set = await desk.SetWindowAsync(Staff, Window(new(2024, 10, 2), new(2024, 10, 6)), ct);
        set.Succeeded.ShouldBeTrue();
        (await desk.GetWindowAsync(Rosters.School, "grades", Rosters.Term, ct))!.Days.ShouldBe(5);

        // The receipt takes the school's last day.
        (await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct)).Received.ShouldHaveSingleItem().ConfirmUntil.ShouldBe(new DateOnly(2024, 10, 6));
        var rows1 = (await desk.ListRowsAsync(Student(1), original.IdempotencyKey, Rosters.StudentId(1), ct)).Value!;
        rows1.Count.ShouldBe(2);
        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows1[0].Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowNotYetOpen);

        h.Clock.Advance(TimeSpan.FromDays(1));   // 2024-10-02: open
        var rows0 = (await desk.ListRowsAsync(Student(0), original.IdempotencyKey, Rosters.StudentId(0), ct)).Value!;
        var rows2 = (await desk.ListRowsAsync(Student(2), original.IdempotencyKey, Rosters.StudentId(2), ct)).Value!;
        (await desk.ListRowsAsync(Student(1), original.IdempotencyKey, Rosters.StudentId(0), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows0[0].Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await desk.AnswerAsync(Staff, original.IdempotencyKey, rows0[0].Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await desk.AnswerAsync(Student(0), original.IdempotencyKey, 99, ConfirmationDecision.Confirm, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptRowUnknown);
        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows1[0].Row, ConfirmationDecision.Dispute, "  ", ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptDisputeNeedsNote);

        foreach (var row in rows0)
        {
            (await desk.AnswerAsync(Student(0), original.IdempotencyKey, row.Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Succeeded.ShouldBeTrue();
        }

        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows1[0].Row, ConfirmationDecision.Dispute, "國語文成績應為 90", ct)).Value!.Note.ShouldBe("國語文成績應為 90");
        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows1[1].Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Succeeded.ShouldBeTrue();
        (await desk.AnswerAsync(Student(2), original.IdempotencyKey, rows2[1].Row, ConfirmationDecision.Dispute, "學分數有誤", ct)).Succeeded.ShouldBeTrue();

        // The per-student summary the service closes on follows the rows.
        var summary = await h.Ledger.ReadConfirmationsAsync(original.IdempotencyKey, ct);
        summary.Single(c => c.StudentKey == Rosters.StudentId(0)).Decision.ShouldBe(ConfirmationDecision.Confirm);
        summary.Single(c => c.StudentKey == Rosters.StudentId(1)).Decision.ShouldBe(ConfirmationDecision.Dispute);
        summary.Single(c => c.StudentKey == Rosters.StudentId(2)).Decision.ShouldBe(ConfirmationDecision.Dispute);

        // Staff decide each dispute.
        (await desk.DecideAsync(Student(1), original.IdempotencyKey, rows1[0].Row, DisputeVerdict.Upheld, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows0[0].Row, DisputeVerdict.Upheld, cancellationToken: ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptRowNotDisputed);
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows2[1].Row, DisputeVerdict.Rejected, null, ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptDisputeRejectionNeedsReason);
        (await desk.ListDisputesAsync(Staff, original.IdempotencyKey, ct)).Value!.Count.ShouldBe(2);
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows2[1].Row, DisputeVerdict.Rejected, "學分數與課程計畫相符", ct)).Succeeded.ShouldBeTrue();

        h.Clock.Advance(TimeSpan.FromDays(5));   // 2024-10-07: closed
        (await desk.AnswerAsync(Student(0), original.IdempotencyKey, rows0[0].Row, ConfirmationDecision.Dispute, "too late", ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ConfirmationWindowClosed);
        (await h.Service.CloseConfirmationAsync(original.IdempotencyKey, ct)).Record!.State.ShouldBe(SubmissionState.Disputed);
        (await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(3, score: 90)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptDisputesUndecided);
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows1[0].Row, DisputeVerdict.Upheld, "查明屬實", ct)).Succeeded.ShouldBeTrue();

        // The student sees the rejection's reason.
        var seen = (await desk.ListRowsAsync(Student(2), original.IdempotencyKey, Rosters.StudentId(2), ct)).Value!;
        seen[1].Answer!.Verdict.ShouldBe(DisputeVerdict.Rejected);
        seen[1].Answer!.Reason.ShouldBe("學分數與課程計畫相符");

        // The correction: every row of the rebuilt roster changed, but only the upheld one goes.
        var corrected = await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(3, score: 90)), ct);
        corrected.Succeeded.ShouldBeTrue(corrected.Problem?.MessageEnglish);
        corrected.Value!.State.ShouldBe(SubmissionState.Accepted);
        corrected.Value.Identity.Revision.ShouldBe(2);
        corrected.Value.Corrects.ShouldBe(original.IdempotencyKey);
        corrected.Value.AcceptedRows.ShouldBe(1);
        h.Sandbox.Store.SubmissionCount.ShouldBe(2);

        await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct);
        var resent = new List<ReceiptRow>();
        await foreach (var row in h.Ledger.ReadReceiptRowsAsync(corrected.Value.IdempotencyKey, ct))
        {
            resent.Add(row);
        }

        var only = resent.ShouldHaveSingleItem();
        only.RowKey.ShouldBe(rows1[0].Received.RowKey);
        only.Values.Values.Count(v => decimal.TryParse(v, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var n) && n == 90m).ShouldBe(1);

        // Once resubmitted, the decision is final; asking again returns the same correction.
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows1[0].Row, DisputeVerdict.Rejected, "changed my mind", ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptDecisionFinal);
        (await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(3, score: 90)), ct)).Value!.IdempotencyKey.ShouldBe(corrected.Value.IdempotencyKey);
        h.Sandbox.Store.SubmissionCount.ShouldBe(2);

        // Every action is in an intact audit trail, and no student ID is in it.
        var audit = new List<AuditEntry>();
        await foreach (var entry in desk.ReadAuditAsync(ct))
        {
            audit.Add(entry);
        }

        AuditTrail.Verify(audit).ShouldBeEmpty();
        audit.Count(e => e.Action == "confirmation-window.set").ShouldBe(1);
        audit.Count(e => e.Action == "receipt-row.confirm").ShouldBe(3);
        audit.Count(e => e.Action == "receipt-row.dispute").ShouldBe(2);
        audit.Count(e => e.Action == "receipt-row.uphold").ShouldBe(1);
        audit.Count(e => e.Action == "receipt-row.reject").ShouldBe(1);
        audit.Count(e => e.Action == "receipt.correction").ShouldBe(2);
        audit.ShouldAllBe(e => !(e.After ?? string.Empty).Contains(Rosters.StudentId(1), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correction_WithNothingUpheld_OrWithoutTheUpheldRow_IsRefused()
    {
        await using var h = await Harness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var desk = new ConfirmationDesk(h.Service, h.Ledger, Policy(), h.Clock);
        var original = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(2)), ct);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct);   // no school window: the receipt's own 3 days
        var rows = (await desk.ListRowsAsync(Student(1), original.IdempotencyKey, Rosters.StudentId(1), ct)).Value!;
        (await desk.AnswerAsync(Student(1), original.IdempotencyKey, rows[0].Row, ConfirmationDecision.Dispute, "錯了", ct)).Succeeded.ShouldBeTrue();
        (await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(2, score: 90)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.SubmissionState);

        h.Clock.Advance(TimeSpan.FromDays(4));
        (await h.Service.CloseConfirmationAsync(original.IdempotencyKey, ct)).Record!.State.ShouldBe(SubmissionState.Disputed);
        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows[0].Row, DisputeVerdict.Rejected, "相符", ct)).Succeeded.ShouldBeTrue();
        (await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(2, score: 90)), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.ReceiptNothingUpheld);

        (await desk.DecideAsync(Staff, original.IdempotencyKey, rows[0].Row, DisputeVerdict.Upheld, cancellationToken: ct)).Succeeded.ShouldBeTrue();
        var other = await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream(Rosters.Grades(2, score: 90, seed: 5)), ct);
        var missing = other.Diagnostics.ShouldHaveSingleItem();
        missing.Code.ShouldBe(DiagnosticCodes.CorrectionRowMissing);
        missing.Message.ShouldNotContain(Rosters.StudentId(1));
        (await desk.SubmitCorrectionAsync(Staff, original.IdempotencyKey, new MemoryStream("not a workbook"u8.ToArray()), ct)).Problem!.Code.ShouldBe(DiagnosticCodes.CorrectionContentUnreadable);
        h.Sandbox.Store.SubmissionCount.ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Testing.TestDatabase.Providers), MemberType = typeof(Testing.TestDatabase))]
    public async Task Window_SetAfterTheReceipt_MovesTheOpenEntrysLastDay_AndIsAudited(string provider)
    {
        await using var h = await Harness.StartAsync(database: provider);
        var ct = TestContext.Current.CancellationToken;
        var desk = new ConfirmationDesk(h.Service, h.Ledger, Policy(), h.Clock);
        var original = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(1)), ct);
        (await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct)).Received.ShouldHaveSingleItem().ConfirmUntil.ShouldBe(new DateOnly(2024, 10, 4));

        (await desk.SetWindowAsync(Staff, Window(new(2024, 10, 1), new(2024, 10, 8)), ct)).Succeeded.ShouldBeTrue();
        (await h.Ledger.GetAsync(original.IdempotencyKey, ct))!.ConfirmUntil.ShouldBe(new DateOnly(2024, 10, 8));
        h.Clock.Advance(TimeSpan.FromDays(5));   // 2024-10-06: past the receipt's own 3 days, inside the school's window
        var rows = (await desk.ListRowsAsync(Student(0), original.IdempotencyKey, Rosters.StudentId(0), ct)).Value!;
        (await desk.AnswerAsync(Student(0), original.IdempotencyKey, rows[0].Row, ConfirmationDecision.Confirm, cancellationToken: ct)).Succeeded.ShouldBeTrue();

        (await desk.SetWindowAsync(Staff, Window(new(2024, 10, 1), new(2024, 10, 10)), ct)).Succeeded.ShouldBeTrue();
        var audit = new List<AuditEntry>();
        await foreach (var entry in desk.ReadAuditAsync(ct))
        {
            audit.Add(entry);
        }

        AuditTrail.Verify(audit).ShouldBeEmpty();
        var sets = audit.Where(e => e.Action == "confirmation-window.set").ToList();
        sets.Count.ShouldBe(2);
        sets[1].Before!.ShouldContain("2024-10-08");
        sets[1].After!.ShouldContain("2024-10-10");
        sets[1].ActorId.ShouldBe(Staff.UserId);
    }
}
