using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>Upheld receipt disputes: the item behind a receipt row is unlocked for correction.</content>
public sealed partial class PortfolioModule : IReceiptRowItems
{
    /// <summary>
    /// Unlocks the item a disputed receipt row was made from (更正屬實後解除鎖定). The row is found among the rows recorded
    /// when its per-year package was locked (<see cref="YearPackageBuilder.LockSubmittedAsync"/>: book, school year, sheet
    /// and the SHA-256 of the row key); the item is unlocked through <see cref="UnlockCourseOutcomeForCorrectionAsync"/> or
    /// <see cref="UnlockPerformanceForCorrectionAsync"/> (permission-checked, audited). A row made from no item (a grade
    /// row from the SIS; a package never locked) is <see cref="ReceiptRowUnlockOutcome.NoItem"/>; an item no longer locked
    /// is <see cref="ReceiptRowUnlockOutcome.NotLocked"/>: asking twice unlocks once.
    /// </summary>
    /// <param name="actor">The staff member who upheld the dispute (課程學習提交者 for course outcomes, 多元表現提交者 or 校內幹部提交者 for 多元表現).</param>
    /// <param name="row">The receipt row and the dispute.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done, or the refusal (PF3101 for a role that does not submit that kind of item, checked first; PF3104 when the item changed meanwhile).</returns>
    public async Task<PortfolioResult<ReceiptRowUnlock>> UnlockForCorrectionAsync(PortfolioActor actor, ReceiptRowReference row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(row);
        var kind = row.Book switch
        {
            "course-outcomes" or "continuing-course-outcomes" => ReceiptRowItemKind.CourseOutcome,
            "performances" => ReceiptRowItemKind.Performance,
            _ => (ReceiptRowItemKind?)null,
        };
        // Only a role that submits (and so may unlock) that kind of item looks the row up: a guardian or a student is
        // refused before anything is read, whether the row has an item or not.
        var operations = kind switch
        {
            ReceiptRowItemKind.CourseOutcome => [PortfolioOperation.SubmitCourseOutcomeRoster],
            ReceiptRowItemKind.Performance => [PortfolioOperation.SubmitPerformanceRoster, PortfolioOperation.SubmitCadreRoster],
            _ => Array.Empty<PortfolioOperation>(),
        };
        if (operations.Length > 0 && !operations.Any(o => actor.Can(o, new PortfolioTarget())))
        {
            return PortfolioResult<ReceiptRowUnlock>.Refused(actor.Check(operations[0], new PortfolioTarget())!);
        }

        if (kind is null
            || await _store.FindPackageRowItemAsync(row.Book, row.Term.Year, row.Sheet, YearPackageRow.HashOf(row.RowKey), cancellationToken).ConfigureAwait(false) is not { } id)
        {
            return PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NoItem));
        }

        if (kind == ReceiptRowItemKind.CourseOutcome)
        {
            if (await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } outcome)
            {
                return PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NoItem));
            }

            if (!outcome.IsLocked)
            {
                return PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NotLocked, kind, id, outcome.Version));
            }

            var unlocked = await UnlockCourseOutcomeForCorrectionAsync(actor, id, outcome.Version, row.DisputeReference, cancellationToken).ConfigureAwait(false);
            return unlocked.Succeeded
                ? PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.Unlocked, kind, id, unlocked.Value!.Version))
                : PortfolioResult<ReceiptRowUnlock>.Refused(unlocked.Diagnostics);
        }

        if (await _store.GetPerformanceAsync(id, cancellationToken).ConfigureAwait(false) is not { } item)
        {
            return PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NoItem));
        }

        if (!item.IsLocked)
        {
            return PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NotLocked, kind, id, item.Version));
        }

        var result = await UnlockPerformanceForCorrectionAsync(actor, id, item.Version, row.DisputeReference, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.Unlocked, kind, id, result.Value!.Version))
            : PortfolioResult<ReceiptRowUnlock>.Refused(result.Diagnostics);
    }
}
