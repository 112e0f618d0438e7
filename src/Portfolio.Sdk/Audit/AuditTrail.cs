using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Audit;

/// <summary>
/// One entry of the audit trail (稽核紀錄): who changed what, when, and the record before and after. Each entry carries
/// the hash of the one before it, so altering, removing or inserting an entry breaks the chain from there on.
/// </summary>
/// <param name="Sequence">The 1-based position in the trail.</param>
/// <param name="At">When the change happened.</param>
/// <param name="ActorId">Who made it.</param>
/// <param name="Action">What was done, e.g. <c>course-outcome.certify</c>.</param>
/// <param name="EntityType">The kind of record changed, e.g. <c>course-outcome</c>.</param>
/// <param name="EntityId">The record's identifier.</param>
/// <param name="Before">The record before the change (JSON), or <see langword="null"/> for a creation.</param>
/// <param name="After">The record after the change (JSON), or <see langword="null"/> for a deletion.</param>
/// <param name="PreviousHash">The hash of the previous entry (64 zeros for the first).</param>
/// <param name="Hash">This entry's hash (SHA-256 over all the fields above, lower-case hex).</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string ActorId, string Action, string EntityType, string EntityId, string? Before, string? After, string PreviousHash, string Hash)
{
    /// <summary>Returns the entry without its before/after contents and with the actor masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"AuditEntry {{ Sequence = {Sequence}, At = {At:O}, ActorId = {Redaction.MaskIdentifier(ActorId)}, Action = {Action}, Entity = {EntityType}/{EntityId} }}");
}

/// <summary>
/// Builds and verifies the hash-chained audit trail. Staff who record false data carry legal liability (seed 001), so
/// every change is appended here and the trail can prove it has not been edited since.
/// </summary>
public static class AuditTrail
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Creates the entry that follows <paramref name="previous"/>.</summary>
    /// <param name="previous">The last entry of the trail, or <see langword="null"/> for the first.</param>
    /// <param name="clock">The clock (never the wall clock directly).</param>
    /// <param name="actorId">Who made the change.</param>
    /// <param name="action">What was done.</param>
    /// <param name="entityType">The kind of record.</param>
    /// <param name="entityId">The record's identifier.</param>
    /// <param name="before">The record before, as JSON.</param>
    /// <param name="after">The record after, as JSON.</param>
    /// <returns>The new entry.</returns>
    public static AuditEntry Next(AuditEntry? previous, TimeProvider clock, string actorId, string action, string entityType, string entityId, string? before, string? after)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrWhiteSpace(actorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityType);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityId);
        var sequence = (previous?.Sequence ?? 0) + 1;
        var previousHash = previous?.Hash ?? GenesisHash;

        // Whole microseconds: what every store keeps, so a read-back entry hashes the same.
        var at = clock.GetUtcNow();
        at = new DateTimeOffset(at.Ticks - (at.Ticks % 10), TimeSpan.Zero);
        var entry = new AuditEntry(sequence, at, actorId, action, entityType, entityId, before, after, previousHash, string.Empty);
        return entry with { Hash = HashOf(entry) };
    }

    /// <summary>Verifies a trail read back from storage, in sequence order.</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>Every problem found; empty when the trail is intact.</returns>
    public static IReadOnlyList<Diagnostic> Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<Diagnostic>();
        AuditEntry? previous = null;
        foreach (var entry in entries)
        {
            var expectedSequence = (previous?.Sequence ?? 0) + 1;
            if (entry.Sequence != expectedSequence)
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.AuditSequenceGap, new DiagnosticLocation(Row: (int)Math.Min(entry.Sequence, int.MaxValue)), previous?.Sequence ?? 0, entry.Sequence));
            }

            if (entry.PreviousHash != (previous?.Hash ?? GenesisHash) || entry.Hash != HashOf(entry))
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.AuditChainBroken, new DiagnosticLocation(Row: (int)Math.Min(entry.Sequence, int.MaxValue)), entry.Sequence));
            }

            previous = entry;
        }

        return problems;
    }

    /// <summary>Computes an entry's hash from its fields (its own <see cref="AuditEntry.Hash"/> is ignored).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The SHA-256, lower-case hex.</returns>
    public static string HashOf(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // Length-prefixed fields: no choice of values can make two different entries hash alike by shifting separators.
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
        Field(entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(entry.ActorId);
        Field(entry.Action);
        Field(entry.EntityType);
        Field(entry.EntityId);
        Field(entry.Before);
        Field(entry.After);
        Field(entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
