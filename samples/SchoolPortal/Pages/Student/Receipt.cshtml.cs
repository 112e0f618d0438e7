using Portfolio.Sdk.Submission.Ledger;

namespace SchoolPortal.Pages.Student;

/// <summary>The student's 收訖明細: what the central database received for them, confirmed (確認無誤) or disputed (有誤申請更正) in the window.</summary>
/// <param name="receipts">The ledger's receipts.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class ReceiptModel(PortalReceipts receipts, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the student.</summary>
    public DemoStudent Me { get; private set; } = null!;

    /// <summary>Gets the receipts that list the student.</summary>
    public IReadOnlyList<StudentReceipt> Receipts { get; private set; } = [];

    /// <summary>Shows the receipts.</summary>
    /// <returns>A task.</returns>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Confirms a receipt.</summary>
    /// <param name="key">The submission's idempotency key.</param>
    /// <returns>A task.</returns>
    public async Task OnPostConfirmAsync(string key)
    {
        await LoadAsync();
        Show(await receipts.AnswerAsync(key, Me.NationalId, ConfirmationDecision.Confirm, null, HttpContext.RequestAborted), "已確認收訖明細無誤");
        await LoadAsync();
    }

    /// <summary>Disputes a receipt with what is wrong.</summary>
    /// <param name="key">The submission's idempotency key.</param>
    /// <param name="note">What is wrong.</param>
    /// <returns>A task.</returns>
    public async Task OnPostDisputeAsync(string key, string? note)
    {
        await LoadAsync();
        Show(await receipts.AnswerAsync(key, Me.NationalId, ConfirmationDecision.Dispute, note, HttpContext.RequestAborted), "已送出更正申請，教務處將處理");
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        Me = School.Students[actor.StudentKey!];
        Receipts = await receipts.ForStudentAsync(Me.NationalId, HttpContext.RequestAborted);
    }
}
