using System.Security.Cryptography;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Receipts;

/// <summary>How a roster row changed since the content it is compared with (名冊異動).</summary>
public enum RosterRowChangeKind
{
    /// <summary>The row is new: its key is not in the submitted content.</summary>
    Added = 1,

    /// <summary>The row is gone: its key is only in the submitted content.</summary>
    Removed,

    /// <summary>The row is in both, with other values in <see cref="RosterRowChange.Columns"/>.</summary>
    Changed,
}

/// <summary>One row that differs, keyed as the roster keys it; never with its values (they may hold names).</summary>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Sheet">The sheet identifier.</param>
/// <param name="RowKey">The row key (the sheet's key columns joined with <c>|</c>) with the 身分證號 masked.</param>
/// <param name="Columns">The columns whose values differ (changed rows); empty for added and removed rows.</param>
public sealed record RosterRowChange(RosterRowChangeKind Kind, string Sheet, string RowKey, IReadOnlyList<string> Columns)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind switch { RosterRowChangeKind.Added => "+", RosterRowChangeKind.Removed => "-", _ => "~" }} {Sheet} {RowKey}{(Columns.Count > 0 ? ": " + string.Join(", ", Columns) : string.Empty)}";
}

/// <summary>
/// What changed between a roster as submitted and as rebuilt (名冊異動): the content hash first, and when it differs
/// each row by its key (the keyed comparison receipts are reconciled with): added, removed, or changed with the columns
/// that differ. IDs in keys are masked; values are never carried.
/// </summary>
public sealed record RosterChanges
{
    /// <summary>Gets the submission compared with, or <see langword="null"/> when the roster was never submitted.</summary>
    public SubmissionRecord? Submitted { get; init; }

    /// <summary>Gets the SHA-256 of the submitted content, or <see langword="null"/> when there is none.</summary>
    public string? SubmittedSha256 { get; init; }

    /// <summary>Gets the SHA-256 of the rebuilt content.</summary>
    public required string RebuiltSha256 { get; init; }

    /// <summary>Gets whether the rebuilt content is byte for byte what was submitted.</summary>
    public bool IsSameContent => SubmittedSha256 is not null && string.Equals(SubmittedSha256, RebuiltSha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets whether the rows were compared (both contents readable); <see langword="false"/> when the hashes
    /// are equal, nothing was submitted, or the submitted content is not at hand (see <see cref="Diagnostics"/>).</summary>
    public bool RowsCompared { get; init; }

    /// <summary>Gets the rows that differ, sheet by sheet in the order the rebuilt content has them, removed rows last.</summary>
    public IReadOnlyList<RosterRowChange> Rows { get; init; } = [];

    /// <summary>Gets why rows could not be compared (content unreadable or no longer in the outbox).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Gets the rows added.</summary>
    public int Added => Rows.Count(r => r.Kind == RosterRowChangeKind.Added);

    /// <summary>Gets the rows removed.</summary>
    public int Removed => Rows.Count(r => r.Kind == RosterRowChangeKind.Removed);

    /// <summary>Gets the rows changed.</summary>
    public int Changed => Rows.Count(r => r.Kind == RosterRowChangeKind.Changed);

    /// <summary>Compares a submitted roster with a rebuilt one: hashes first, then rows by key when they differ.</summary>
    /// <param name="submitted">The submitted content (readable, seekable).</param>
    /// <param name="rebuilt">The rebuilt content (readable, seekable).</param>
    /// <param name="kind">Workbook or per-year package (both the same kind).</param>
    /// <param name="catalogue">The roster catalogue; the default when <see langword="null"/>.</param>
    /// <param name="codes">The code tables; the default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <returns>The changes.</returns>
    public static RosterChanges Compare(Stream submitted, Stream rebuilt, SubmissionContentKind kind = SubmissionContentKind.Workbook,
        RosterCatalogue? catalogue = null, CodeTableCatalog? codes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(rebuilt);
        var before = Sha256(submitted);
        var after = Sha256(rebuilt);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return new RosterChanges { SubmittedSha256 = before, RebuiltSha256 = after };
        }

        // Rows by sheet and key; a key that repeats is matched in order, the extra ones added or removed.
        var old = new Dictionary<(string Sheet, string Key), Queue<(string MaskedKey, IReadOnlyDictionary<string, string?> Values)>>();
        var oldOrder = new List<(string Sheet, string Key)>();
        var first = RosterContent.Read(submitted, kind, "submitted", row =>
        {
            var key = (row.Sheet, row.RowKey);
            if (!old.TryGetValue(key, out var queue))
            {
                old[key] = queue = new();
                oldOrder.Add(key);
            }

            queue.Enqueue((RosterContent.MaskRowKey(row.RowKey, row.StudentKey), row.Values));
        }, catalogue, codes, cancellationToken);
        var rows = new List<RosterRowChange>();
        var second = RosterContent.Read(rebuilt, kind, "rebuilt", row =>
        {
            var masked = RosterContent.MaskRowKey(row.RowKey, row.StudentKey);
            if (!old.TryGetValue((row.Sheet, row.RowKey), out var queue) || !queue.TryDequeue(out var was))
            {
                rows.Add(new RosterRowChange(RosterRowChangeKind.Added, row.Sheet, masked, []));
                return;
            }

            var columns = row.Values.Keys.Union(was.Values.Keys, StringComparer.Ordinal)
                .Where(c => !string.Equals(RosterContent.Normalize(row.Values.GetValueOrDefault(c)), RosterContent.Normalize(was.Values.GetValueOrDefault(c)), StringComparison.Ordinal))
                .ToList();
            if (columns.Count > 0)
            {
                rows.Add(new RosterRowChange(RosterRowChangeKind.Changed, row.Sheet, masked, columns));
            }
        }, catalogue, codes, cancellationToken);
        foreach (var key in oldOrder)
        {
            rows.AddRange(old[key].Select(w => new RosterRowChange(RosterRowChangeKind.Removed, key.Sheet, w.MaskedKey, [])));
        }

        var readable = first.IsReadable && second.IsReadable;
        return new RosterChanges
        {
            SubmittedSha256 = before,
            RebuiltSha256 = after,
            RowsCompared = readable,
            Rows = readable ? rows : [],
            Diagnostics = readable ? [] : [.. first.Diagnostics.Concat(second.Diagnostics).Where(d => d.IsError)],
        };
    }

    internal static string Sha256(Stream content)
    {
        content.Position = 0;
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        content.Position = 0;
        return hash;
    }
}
