using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// What changed since the last submission: the hash first, then rows by key (added, removed, changed columns), IDs
/// masked, values never carried; from the ledger and outbox of a real submission to the sandbox.
/// </summary>
public sealed class RosterChangesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void SameBytes_AreTheSameContent_AndNoRowIsRead()
    {
        var changes = RosterChanges.Compare(new MemoryStream(Rosters.Grades(3)), new MemoryStream(Rosters.Grades(3)), cancellationToken: Token);
        changes.IsSameContent.ShouldBeTrue();
        changes.RowsCompared.ShouldBeFalse();
        changes.Rows.ShouldBeEmpty();
    }

    [Fact]
    public void ChangedScores_AreChangedRows_WithTheirColumns()
    {
        var changes = RosterChanges.Compare(new MemoryStream(Rosters.Grades(3)), new MemoryStream(Rosters.Grades(3, score: 91)), cancellationToken: Token);

        changes.IsSameContent.ShouldBeFalse();
        changes.RowsCompared.ShouldBeTrue();
        (changes.Added, changes.Removed, changes.Changed).ShouldBe((0, 0, 6));
        changes.Rows.ShouldAllBe(r => r.Sheet == "semester-grades" && r.Columns.SequenceEqual(new[] { "score" }));
        AssertMasked(changes, 3);
    }

    [Fact]
    public void StudentsInAndOut_AreAddedAndRemovedRows_ByKey()
    {
        // Students 0–2 submitted; 1–3 rebuilt: student 0's two rows are gone, student 3's two are new, 1 and 2 unchanged.
        var changes = RosterChanges.Compare(new MemoryStream(Rosters.Grades(3)), new MemoryStream(Rosters.Grades(3, seed: 1)), cancellationToken: Token);

        (changes.Added, changes.Removed, changes.Changed).ShouldBe((2, 2, 0));
        var gone = Privacy.Redaction.MaskIdentifier(Rosters.StudentId(0)) + "|";
        var come = Privacy.Redaction.MaskIdentifier(Rosters.StudentId(3)) + "|";
        changes.Rows.Where(r => r.Kind == RosterRowChangeKind.Removed).ShouldAllBe(r => r.RowKey.StartsWith(gone, StringComparison.Ordinal));
        changes.Rows.Where(r => r.Kind == RosterRowChangeKind.Added).ShouldAllBe(r => r.RowKey.StartsWith(come, StringComparison.Ordinal));
        changes.Rows[^1].Kind.ShouldBe(RosterRowChangeKind.Removed);
        AssertMasked(changes, 4);
    }

    [Fact]
    public async Task SinceTheLastSubmission_ComparesWithTheRevisionSent_FromTheOutbox()
    {
        await using var h = await Harness.StartAsync(new Sandbox.SandboxOptions { Faults = { Rate = 0 } });

        var never = await h.Service.ChangesSinceSubmissionAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), Token);
        never.Submitted.ShouldBeNull();
        never.IsSameContent.ShouldBeFalse();

        var first = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), Token);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, Token);
        var same = await h.Service.ChangesSinceSubmissionAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), Token);
        same.Submitted!.IdempotencyKey.ShouldBe(first.IdempotencyKey);
        same.IsSameContent.ShouldBeTrue();

        // A second revision that is only enqueued (not sent) is not what the central database has.
        await h.Service.EnqueueAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 70)), cancellationToken: Token);
        var changed = await h.Service.ChangesSinceSubmissionAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 91)), Token);
        changed.Submitted!.Identity.Revision.ShouldBe(1);
        changed.Changed.ShouldBe(6);

        // Content gone from the outbox: hashes only, and a warning that says so.
        File.Delete(Directory.EnumerateFiles(h.Outbox.Directory).Single(f => Path.GetFileName(f).StartsWith(first.Sha256, StringComparison.Ordinal)));
        var hashOnly = await h.Service.ChangesSinceSubmissionAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 91)), Token);
        hashOnly.IsSameContent.ShouldBeFalse();
        hashOnly.RowsCompared.ShouldBeFalse();
        hashOnly.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.SubmittedContentNotInOutbox);
    }

    private static void AssertMasked(RosterChanges changes, int students)
    {
        for (var i = 0; i < students; i++)
        {
            changes.Rows.ShouldAllBe(r => !r.RowKey.Contains(Rosters.StudentId(i), StringComparison.Ordinal) && !r.ToString().Contains(Rosters.StudentId(i), StringComparison.Ordinal));
        }
    }
}
