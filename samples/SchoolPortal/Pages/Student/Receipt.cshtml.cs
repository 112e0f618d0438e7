using Portfolio.Sdk.Submission.Confirmation;
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

    /// <summary>Gets each receipt's rows of the student with their answers and the school's decisions, by submission.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<StudentReceiptRow>> Rows { get; private set; } = new Dictionary<string, IReadOnlyList<StudentReceiptRow>>();

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

    /// <summary>Confirms one row (正確) with the version read.</summary>
    /// <param name="key">The submission's idempotency key.</param>
    /// <param name="row">The row's position in the receipt.</param>
    /// <param name="version">The row's version as read (0 when unanswered).</param>
    /// <returns>A task.</returns>
    public async Task OnPostConfirmRowAsync(string key, int row, long version)
    {
        await LoadAsync();
        Show(await receipts.Desk.AnswerAsync(await ReceiptActorAsync(), key, row, ConfirmationDecision.Confirm, null, version, HttpContext.RequestAborted), "已確認這一列無誤");
        await LoadAsync();
    }

    /// <summary>Disputes one row (錯誤) with what is wrong and the version read.</summary>
    /// <param name="key">The submission's idempotency key.</param>
    /// <param name="row">The row's position in the receipt.</param>
    /// <param name="version">The row's version as read.</param>
    /// <param name="note">What is wrong.</param>
    /// <returns>A task.</returns>
    public async Task OnPostDisputeRowAsync(string key, int row, long version, string? note)
    {
        await LoadAsync();
        Show(await receipts.Desk.AnswerAsync(await ReceiptActorAsync(), key, row, ConfirmationDecision.Dispute, note, version, HttpContext.RequestAborted), "已送出這一列的更正申請，教務處將處理");
        await LoadAsync();
    }

    // The ledger keys receipts by 身分證號: the student answers as themself under that key.
    private async Task<Portfolio.Sdk.Workflow.PortfolioActor> ReceiptActorAsync() =>
        Portfolio.Sdk.Workflow.PortfolioActor.StudentOf((await ActorAsync()).UserId, Me.NationalId);

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        Me = School.Students[actor.StudentKey!];
        Receipts = await receipts.ForStudentAsync(Me.NationalId, HttpContext.RequestAborted);
        var student = await ReceiptActorAsync();
        var desk = receipts.Desk;
        var rows = new Dictionary<string, IReadOnlyList<StudentReceiptRow>>(StringComparer.Ordinal);
        foreach (var receipt in Receipts)
        {
            rows[receipt.Record.IdempotencyKey] = (await desk.ListRowsAsync(student, receipt.Record.IdempotencyKey, Me.NationalId, HttpContext.RequestAborted)).Value ?? [];
        }

        Rows = rows;
    }
}
