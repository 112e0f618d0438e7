using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// Changes are resubmitted, never lost: a rebuilt roster with the same content is the earlier submission (rosters are
/// byte-for-byte deterministic), a changed one becomes the next revision correcting the latest, whatever state that one
/// reached, and outside the submission window the change is refused with what is pending (PF4307).
/// </summary>
public sealed class ChangedContentTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameContent_IsTheEarlierSubmission_ChangedContent_IsTheNextRevision()
    {
        await using var h = await Harness.StartAsync(new Sandbox.SandboxOptions { Faults = { Rate = 0 } });
        var first = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), Token);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, Token);
        (await h.Ledger.GetAsync(first.IdempotencyKey, Token))!.State.ShouldBe(SubmissionState.ReceiptReceived);

        var rebuilt = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), Token);
        var changed = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 91)), Token);
        var changedAgain = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 92)), Token);
        var rebuiltChange = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 92)), Token);

        rebuilt.IdempotencyKey.ShouldBe(first.IdempotencyKey);
        changed.Identity.Revision.ShouldBe(2);
        changed.Corrects.ShouldBe(first.IdempotencyKey);
        changed.State.ShouldBe(SubmissionState.Accepted);
        changedAgain.Identity.Revision.ShouldBe(3);
        changedAgain.Corrects.ShouldBe(changed.IdempotencyKey);
        rebuiltChange.IdempotencyKey.ShouldBe(changedAgain.IdempotencyKey);
        h.Sandbox.Store.SubmissionCount.ShouldBe(3);
    }

    [Fact]
    public async Task ChangedContent_OutsideTheSubmissionWindow_SaysWhatIsPending()
    {
        await using var h = await Harness.StartAsync(new Sandbox.SandboxOptions { Faults = { Rate = 0 } });
        var policy = new PortfolioPolicyBuilder()
            .WithWindow(PolicyWindowKind.Submission, Rosters.Term, new DateOnly(2024, 9, 1), new DateOnly(2024, 9, 30))
            .Build().Value!;
        var service = new SubmissionService(h.Gateway, h.Ledger, h.Outbox, policy, h.Clock);   // the clock says 2024-10-01
        var first = await service.EnqueueAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), cancellationToken: Token);

        (await service.EnqueueAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3)), cancellationToken: Token)).IdempotencyKey.ShouldBe(first.IdempotencyKey);
        var refused = await Should.ThrowAsync<PortfolioException>(() => service.EnqueueAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, score: 91)), cancellationToken: Token));

        refused.Diagnostic!.Code.ShouldBe(DiagnosticCodes.SubmissionChangeOutsideWindow);
        refused.Diagnostic.MessageEnglish.ShouldContain("revision 2");
        refused.Diagnostic.MessageEnglish.ShouldContain("r1");
    }
}
