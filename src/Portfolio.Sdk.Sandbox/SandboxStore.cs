using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Sandbox;

/// <summary>
/// What the sandbox holds: each submission under its idempotency key, and its receipt; in memory, and in a SQLite
/// file when <see cref="SandboxOptions.DataFile"/> is set, so that accepted submissions survive a restart. Tests read
/// the counters to check that every submission arrived exactly once. Submission and receipt ids are 128-bit random.
/// </summary>
public sealed class SandboxStore : IDisposable
{
    private readonly SqliteConnection? _file;
    private readonly Lock _fileLock = new();
    private readonly ConcurrentDictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Receipt> _receipts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
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

    /// <summary>Initializes an empty store in memory.</summary>
    public SandboxStore()
    {
    }

    private SandboxStore(SqliteConnection file)
    {
        _file = file;
        using var command = file.CreateCommand();
        command.CommandText = "BEGIN; CREATE TABLE IF NOT EXISTS sandbox_submission (idempotency_key TEXT NOT NULL PRIMARY KEY, status_json TEXT NOT NULL, times_stored INTEGER NOT NULL); "
            + "CREATE TABLE IF NOT EXISTS sandbox_receipt (receipt_id TEXT NOT NULL PRIMARY KEY, receipt_json TEXT NOT NULL); COMMIT;";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT status_json, times_stored FROM sandbox_submission";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var status = JsonSerializer.Deserialize<SubmissionStatus>(reader.GetString(0), GatewayJson.Options)!;
                _byKey[status.IdempotencyKey] = new Entry(status, reader.GetInt32(1));
            }
        }

        command.CommandText = "SELECT receipt_json FROM sandbox_receipt";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var receipt = JsonSerializer.Deserialize<Receipt>(reader.GetString(0), GatewayJson.Options)!;
                _receipts[receipt.ReceiptId] = receipt;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    /// <summary>Opens a store kept in a SQLite file, creating it when missing, with what it held before.</summary>
    internal static SandboxStore Open(string dataFile)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataFile, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return new SandboxStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Unguessable: a receipt carries students' keys, so its id must not be found by counting.
    internal static string NextId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

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
        if (_file is not null)
        {
            // Written before the client gets its answer: what the sandbox accepted is never lost by a restart.
            lock (_fileLock)
            {
                using var transaction = _file.BeginTransaction();
                using var command = _file.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO sandbox_submission (idempotency_key, status_json, times_stored) VALUES ($k, $s, $t) "
                    + "ON CONFLICT (idempotency_key) DO UPDATE SET status_json = excluded.status_json, times_stored = excluded.times_stored";
                command.Parameters.AddWithValue("$k", status.IdempotencyKey);
                command.Parameters.AddWithValue("$s", JsonSerializer.Serialize(status, GatewayJson.Options));
                command.Parameters.AddWithValue("$t", entry.TimesStored);
                command.ExecuteNonQuery();
                if (receipt is not null)
                {
                    command.Parameters.Clear();
                    command.CommandText = "INSERT OR REPLACE INTO sandbox_receipt (receipt_id, receipt_json) VALUES ($r, $j)";
                    command.Parameters.AddWithValue("$r", receipt.ReceiptId);
                    command.Parameters.AddWithValue("$j", JsonSerializer.Serialize(receipt, GatewayJson.Options));
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }

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
