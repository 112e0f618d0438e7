using System.Data.Common;
using Portfolio.Sdk;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.FileDrop;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;

namespace SchoolPortal;

/// <summary>A 收訖明細 as one student sees it: the submission, its window, the student's rows and answer.</summary>
/// <param name="Record">The submission.</param>
/// <param name="Rows">The student's rows in the receipt.</param>
/// <param name="Answer">The student's latest answer, if any.</param>
internal sealed record StudentReceipt(SubmissionRecord Record, IReadOnlyList<ReceiptRow> Rows, ConfirmationRecord? Answer);

/// <summary>
/// The students' side of the submission ledger (收訖明細確認): each receipt's rows for one student, and the student's
/// confirmation or dispute through <see cref="SubmissionService.RecordConfirmationAsync"/>. The portal sends nothing
/// after seeding; its service's gateway is a file drop that is never used.
/// </summary>
internal sealed class PortalReceipts
{
    private readonly SubmissionService _service;
    private readonly SubmissionOutbox _outbox;
    private readonly PortfolioPolicy _policy;
    private readonly TimeProvider _clock;

    public PortalReceipts(PortalOptions options, PortfolioPolicy policy, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetFullPath(options.DataFolder);
        LedgerSource = Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "ledger.db")};Pooling=False");
        Ledger = new DbSubmissionLedger(LedgerSource, SqlDialect.Sqlite, clock);
        _outbox = new SubmissionOutbox(Path.Combine(folder, "outbox"));
        _policy = policy;
        _clock = clock;
        _service = CreateService(new FileDropGateway(Path.Combine(folder, "drop")));
    }

    /// <summary>Gets the ledger's database.</summary>
    public DbDataSource LedgerSource { get; }

    /// <summary>Gets the ledger.</summary>
    public DbSubmissionLedger Ledger { get; }

    /// <summary>Gets the confirmation desk over the ledger: each row of a receipt answered on its own (逐列確認).</summary>
    public ConfirmationDesk Desk => new(_service, Ledger, _policy, _clock);

    /// <summary>A submission service on the portal's ledger and outbox, through <paramref name="gateway"/>.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <returns>The service.</returns>
    public SubmissionService CreateService(ICentralGateway gateway) => new(gateway, Ledger, _outbox, _policy, _clock);

    /// <summary>The receipts that list the student (by 身分證號), newest first.</summary>
    /// <param name="nationalId">The student's 身分證號.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipts.</returns>
    public async Task<IReadOnlyList<StudentReceipt>> ForStudentAsync(string nationalId, CancellationToken cancellationToken)
    {
        var receipts = new List<StudentReceipt>();
        foreach (var record in await Ledger.ListAsync(PortalSeeder.School.Value, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (record.ReceiptId is null)
            {
                continue;
            }

            var rows = new List<ReceiptRow>();
            await foreach (var row in Ledger.ReadReceiptRowsAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false))
            {
                if (row.StudentKey == nationalId)
                {
                    rows.Add(row);
                }
            }

            if (rows.Count > 0)
            {
                var answers = await Ledger.ReadConfirmationsAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                receipts.Add(new StudentReceipt(record, rows, answers.Where(a => a.StudentKey == nationalId).OrderBy(a => a.At).LastOrDefault()));
            }
        }

        return receipts;
    }

    /// <summary>Records the student's confirmation or dispute.</summary>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="nationalId">The student's 身分證號.</param>
    /// <param name="decision">Confirm or dispute.</param>
    /// <param name="note">What is wrong, for a dispute.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The recorded answer, or the refusal (PF4301, PF4302, PF4304).</returns>
    public Task<PortfolioResult<ConfirmationRecord>> AnswerAsync(string idempotencyKey, string nationalId, ConfirmationDecision decision, string? note, CancellationToken cancellationToken) =>
        _service.RecordConfirmationAsync(idempotencyKey, nationalId, decision, note, cancellationToken);
}
