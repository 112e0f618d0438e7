using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Workflow;

/// <summary>
/// The items of the module behind the rows of a receipt (收訖明細列對應的學習歷程項目): when staff uphold a dispute
/// (更正屬實), the confirmation desk asks for the row's item to be unlocked for correction. The portfolio module
/// (<c>Portfolio.Sdk.Storage</c>) implements it from the rows it recorded when the per-year package was locked.
/// </summary>
public interface IReceiptRowItems
{
    /// <summary>
    /// Unlocks the locked course outcome or 多元表現 a receipt row was made from, with the dispute as the reason. A row
    /// that was made from no item (a grade row comes from the SIS) is <see cref="ReceiptRowUnlockOutcome.NoItem"/>, not
    /// a refusal; an item not locked (already unlocked) is <see cref="ReceiptRowUnlockOutcome.NotLocked"/>, so asking
    /// again changes nothing.
    /// </summary>
    /// <param name="actor">Who upheld the dispute (the item's submitter role must allow the unlock).</param>
    /// <param name="row">The receipt row and the dispute.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done, or why the unlock was refused (e.g. PF3101).</returns>
    Task<PortfolioResult<ReceiptRowUnlock>> UnlockForCorrectionAsync(PortfolioActor actor, ReceiptRowReference row, CancellationToken cancellationToken = default);
}

/// <summary>A receipt row whose dispute was upheld, as the module looks it up (its row key holds the student's ID; <see cref="ToString"/> masks it).</summary>
/// <param name="Book">The roster book of the submission, e.g. <c>course-outcomes</c>.</param>
/// <param name="Term">The submission's term (term 0 for a per-year package).</param>
/// <param name="Sheet">The sheet of the row.</param>
/// <param name="RowKey">The row key as the receipt gives it: the sheet's key columns, trimmed, joined by <c>|</c>.</param>
/// <param name="DisputeReference">The dispute: the submission's idempotency key and the row, <c>key#row</c>.</param>
public sealed record ReceiptRowReference(string Book, SchoolTerm Term, string Sheet, string RowKey, string DisputeReference)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Book} {Term} {Sheet} {Redaction.MaskIdentifiersIn(RowKey)} ({DisputeReference})");
}

/// <summary>Which kind of item a receipt row was made from.</summary>
public enum ReceiptRowItemKind
{
    /// <summary>課程學習成果.</summary>
    CourseOutcome = 1,

    /// <summary>多元表現.</summary>
    Performance = 2,
}

/// <summary>What unlocking a receipt row's item did.</summary>
public enum ReceiptRowUnlockOutcome
{
    /// <summary>The row was made from no item of the module (e.g. a grade row from the SIS, or a package never locked): nothing to unlock.</summary>
    NoItem = 0,

    /// <summary>The item was locked and is unlocked now, for correction.</summary>
    Unlocked = 1,

    /// <summary>The item is not locked (already unlocked for this or another dispute): nothing changed.</summary>
    NotLocked = 2,
}

/// <summary>What unlocking a receipt row's item did, and which item.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="Kind">The item's kind, when the row has an item.</param>
/// <param name="ItemId">The item's id, when the row has an item.</param>
/// <param name="Version">The item's version after the call, when the row has an item.</param>
public sealed record ReceiptRowUnlock(ReceiptRowUnlockOutcome Outcome, ReceiptRowItemKind? Kind = null, Guid? ItemId = null, long? Version = null);
