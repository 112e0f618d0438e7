using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Ledger;

/// <summary>
/// The durable submission ledger (送件紀錄): every logical submission with its idempotency key, state, gateway
/// answer, receipt and the students' confirmations. <see cref="DbSubmissionLedger"/> keeps it in the module's
/// database; a process that restarts reads its outstanding work back from here.
/// </summary>
public interface ISubmissionLedger
{
    /// <summary>Creates the ledger's tables if the store does not have them yet.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="record"/> unless an entry with its identity exists; returns the entry that is in the ledger.</summary>
    /// <param name="record">The new entry (state <see cref="SubmissionState.Pending"/>).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The stored entry: <paramref name="record"/>, or the earlier one with the same identity.</returns>
    Task<SubmissionRecord> AddOrGetAsync(SubmissionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Reads an entry by its idempotency key.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<SubmissionRecord?> GetAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Reads the entry of a logical submission.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<SubmissionRecord?> FindAsync(SubmissionIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>Lists entries, oldest first.</summary>
    /// <param name="schoolCode">Only this school's, or every school's when <see langword="null"/>.</param>
    /// <param name="states">Only entries in these states, or all when empty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<SubmissionRecord>> ListAsync(string? schoolCode = null, IReadOnlyCollection<SubmissionState>? states = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes an entry if it is in one of <paramref name="from"/> and nobody changed it meanwhile (optimistic
    /// concurrency on its version; a lost race re-reads and tries again).
    /// </summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="from">The states the change is allowed from.</param>
    /// <param name="change">The change; it gets the current entry.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The changed entry, or <see langword="null"/> when the entry is missing or not in one of <paramref name="from"/>.</returns>
    Task<SubmissionRecord?> TransitionAsync(string idempotencyKey, IReadOnlyCollection<SubmissionState> from, Func<SubmissionRecord, SubmissionRecord> change, CancellationToken cancellationToken = default);

    /// <summary>Stores a receipt's rows and moves the entry to <see cref="SubmissionState.ReceiptReceived"/>, in one transaction.</summary>
    /// <param name="idempotencyKey">The entry (state <see cref="SubmissionState.Accepted"/>).</param>
    /// <param name="receipt">The receipt.</param>
    /// <param name="confirmUntil">The last day of the confirmation window.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The changed entry, or <see langword="null"/> when it was not accepted (or already has its receipt).</returns>
    Task<SubmissionRecord?> SaveReceiptAsync(string idempotencyKey, Receipt receipt, DateOnly confirmUntil, CancellationToken cancellationToken = default);

    /// <summary>Reads the receipt rows stored for an entry, in receipt order.</summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    IAsyncEnumerable<ReceiptRow> ReadReceiptRowsAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) a student's answer.</summary>
    /// <param name="confirmation">The answer.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task RecordConfirmationAsync(ConfirmationRecord confirmation, CancellationToken cancellationToken = default);

    /// <summary>Reads the students' answers for an entry.</summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The answers.</returns>
    Task<IReadOnlyList<ConfirmationRecord>> ReadConfirmationsAsync(string idempotencyKey, CancellationToken cancellationToken = default);
}
