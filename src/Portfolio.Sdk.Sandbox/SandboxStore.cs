using System.Collections.Concurrent;
using System.Globalization;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Sandbox;

/// <summary>
/// What the sandbox holds, in memory: each submission under its idempotency key, and its receipt. Tests read the
/// counters to check that every submission arrived exactly once.
/// </summary>
public sealed class SandboxStore
{
    private readonly ConcurrentDictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Receipt> _receipts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private long _sequence;
    private long _replays;
    private long _faults;

    /// <summary>Gets the number of submissions stored (each key counts once).</summary>
    public int SubmissionCount => _byKey.Count;

    /// <summary>Gets how many times a submission was answered from an earlier request with the same key.</summary>
    public long Replays => Interlocked.Read(ref _replays);

    /// <summary>Gets how many faults were injected.</summary>
    public long FaultsInjected => Interlocked.Read(ref _faults);

    /// <summary>Gets the stored statuses.</summary>
    public IReadOnlyList<SubmissionStatus> Submissions => [.. _byKey.Values.Select(e => e.Status).OrderBy(s => s.ReceivedAt)];

    /// <summary>Gets how many times a key was stored as a new submission: 1 for every key the sandbox knows, if nothing was submitted twice.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns>The count (0 when unknown).</returns>
    public int TimesStored(string idempotencyKey) => _byKey.TryGetValue(idempotencyKey, out var entry) ? entry.TimesStored : 0;

    /// <summary>Gets a stored submission's status.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns>The status, or <see langword="null"/>.</returns>
    public SubmissionStatus? Find(string idempotencyKey) => _byKey.TryGetValue(idempotencyKey, out var entry) ? entry.Status : null;

    /// <summary>Gets a receipt.</summary>
    /// <param name="receiptId">The receipt.</param>
    /// <returns>The receipt, or <see langword="null"/>.</returns>
    public Receipt? FindReceipt(string receiptId) => _receipts.TryGetValue(receiptId, out var receipt) ? receipt : null;

    /// <summary>Lists a school's receipts, oldest first.</summary>
    /// <param name="schoolCode">The school.</param>
    /// <param name="since">Only those issued at or after this time.</param>
    /// <returns>The summaries.</returns>
    public IReadOnlyList<ReceiptSummary> ListReceipts(string schoolCode, DateTimeOffset? since) =>
        [.. _receipts.Values.Where(r => r.SchoolCode == schoolCode && (since is null || r.IssuedAt >= since)).OrderBy(r => r.IssuedAt).ThenBy(r => r.ReceiptId, StringComparer.Ordinal)
            .Select(r => new ReceiptSummary
            {
                ReceiptId = r.ReceiptId, IdempotencyKey = r.IdempotencyKey, SubmissionId = r.SubmissionId, SchoolCode = r.SchoolCode, Book = r.Book,
                SchoolYear = r.SchoolYear, Term = r.Term, IssuedAt = r.IssuedAt, RowCount = r.RowCount,
            })];

    internal string NextId(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref _sequence):D8}");

    internal void CountReplay() => Interlocked.Increment(ref _replays);

    internal void CountFault() => Interlocked.Increment(ref _faults);

    internal async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    internal (SubmissionStatus Status, string Sha256)? Get(string key) => _byKey.TryGetValue(key, out var e) ? (e.Status, e.Status.Sha256) : null;

    internal void Store(SubmissionStatus status, Receipt? receipt)
    {
        var entry = _byKey.AddOrUpdate(status.IdempotencyKey, _ => new Entry(status, 1), (_, old) => new Entry(status, old.TimesStored + 1));
        _ = entry;
        if (receipt is not null)
        {
            _receipts[receipt.ReceiptId] = receipt;
        }
    }

    private sealed record Entry(SubmissionStatus Status, int TimesStored);

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
